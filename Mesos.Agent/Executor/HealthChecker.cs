using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Mesos.Agent.Containerizer;
using Mesos.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Agent.Executor;

/// <summary>
/// Mesos' health checker for one task: after <c>delay_seconds</c>, runs the COMMAND, HTTP or TCP check every
/// <c>interval_seconds</c>, each bounded by <c>timeout_seconds</c>. Failures before the first success and within
/// <c>grace_period_seconds</c> are ignored; otherwise every failure is reported unhealthy, a success after
/// failures (or the first one) healthy, and <c>consecutive_failures</c> failures in a row ask for the kill.
/// </summary>
public sealed class HealthChecker : IAsyncDisposable
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly HealthCheck _check;
    private readonly string _sandbox;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly TaskUser? _user;
    private readonly Action<bool, bool> _onResult;
    private readonly ILogger _log;
    private readonly string _taskId;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <param name="onResult">(healthy, kill): called with each verdict that is reported.</param>
    public HealthChecker(HealthCheck check, string sandbox, IReadOnlyDictionary<string, string> environment, TaskUser? user,
        Action<bool, bool> onResult, ILogger log, string taskId)
    {
        _check = check;
        _sandbox = sandbox;
        _environment = environment;
        _user = user;
        _onResult = onResult;
        _log = log;
        _taskId = taskId;
    }

    public static TimeSpan Delay(HealthCheck check) => Seconds(check.HasDelaySeconds ? check.DelaySeconds : 15);

    public static TimeSpan Interval(HealthCheck check) => Seconds(check.HasIntervalSeconds ? check.IntervalSeconds : 10);

    public static TimeSpan TimeoutOf(HealthCheck check) => Seconds(check.HasTimeoutSeconds ? check.TimeoutSeconds : 20);

    public static uint ConsecutiveFailures(HealthCheck check) => check.HasConsecutiveFailures ? Math.Max(1, check.ConsecutiveFailures) : 3;

    public static TimeSpan GracePeriod(HealthCheck check) => Seconds(check.HasGracePeriodSeconds ? check.GracePeriodSeconds : 10);

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var started = Stopwatch.StartNew();
        await Task.Delay(Delay(_check), stop).ConfigureAwait(false);
        var everHealthy = false;
        var failures = 0u;
        while (!stop.IsCancellationRequested)
        {
            var failure = await ProbeAsync(stop).ConfigureAwait(false);
            if (failure is null)
            {
                if (!everHealthy || failures > 0)
                {
                    _onResult(true, false);
                }

                everHealthy = true;
                failures = 0;
            }
            else if (!everHealthy && started.Elapsed < GracePeriod(_check))
            {
                _log.LogInformation("Ignoring failed health check of task {TaskId} in its grace period: {Failure}", _taskId, failure);
            }
            else
            {
                failures++;
                var kill = failures >= ConsecutiveFailures(_check);
                _log.LogWarning("Health check of task {TaskId} failed ({Failures} in a row): {Failure}", _taskId, failures, failure);
                _onResult(false, kill);
                if (kill)
                {
                    return;
                }
            }

            await Task.Delay(Interval(_check), stop).ConfigureAwait(false);
        }
    }

    /// <summary>Null when healthy, else why not.</summary>
    private async Task<string?> ProbeAsync(CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeoutOf(_check));
        try
        {
            return _check.Type switch
            {
                HealthCheck.Types.Type.Command => await CommandAsync(timeout.Token).ConfigureAwait(false),
                HealthCheck.Types.Type.Http => await HttpAsync(timeout.Token).ConfigureAwait(false),
                HealthCheck.Types.Type.Tcp => await TcpAsync(timeout.Token).ConfigureAwait(false),
                _ => null,
            };
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return $"timed out after {TimeoutOf(_check).TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
        }
    }

    private async Task<string?> CommandAsync(CancellationToken cancellationToken)
    {
        var command = _check.Command ?? new CommandInfo();
        var start = new ProcessStartInfo("/usr/bin/setsid") { UseShellExecute = false, WorkingDirectory = _sandbox, RedirectStandardOutput = true, RedirectStandardError = true };
        if (_user is not null)
        {
            start.ArgumentList.Add("/usr/bin/setpriv");
            start.ArgumentList.Add($"--reuid={_user.Uid}");
            start.ArgumentList.Add($"--regid={_user.Gid}");
            start.ArgumentList.Add("--init-groups");
            start.ArgumentList.Add("--");
        }

        if (!command.HasShell || command.Shell)
        {
            start.ArgumentList.Add("/bin/sh");
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(command.Value);
        }
        else
        {
            start.ArgumentList.Add(command.Value);
            foreach (var argument in command.Arguments.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.Environment.Clear();
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        foreach (var variable in command.Environment?.Variables ?? [])
        {
            start.Environment[variable.Name] = variable.Value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the health check command");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // setsid made it a group leader: take its children with it.
            PosixSignals.SignalGroup(process.Id, PosixSignals.SigKill);
            throw;
        }

        await Task.WhenAll(output, errors).ConfigureAwait(false);
        return process.ExitCode == 0 ? null : $"command '{command.Value}' exited with status {process.ExitCode}";
    }

    private async Task<string?> HttpAsync(CancellationToken cancellationToken)
    {
        var http = _check.Http ?? new HealthCheck.Types.HTTPCheckInfo();
        var scheme = http.Scheme.Length > 0 ? http.Scheme : "http";
        var path = http.Path.Length == 0 ? "/" : http.Path.StartsWith('/') ? http.Path : "/" + http.Path;
        var url = $"{scheme}://127.0.0.1:{http.Port.ToString(CultureInfo.InvariantCulture)}{path}";
        try
        {
            using var response = await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;

            // Mesos counts 2xx and 3xx as healthy.
            return code is >= 200 and < 400 ? null : $"GET {url} answered {code}";
        }
        catch (HttpRequestException e)
        {
            return $"GET {url} failed: {e.Message}";
        }
    }

    private async Task<string?> TcpAsync(CancellationToken cancellationToken)
    {
        var port = (int)(_check.Tcp?.Port ?? 0);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (SocketException e)
        {
            return $"cannot connect to 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}: {e.Message}";
        }
    }

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(Math.Max(0, seconds));
}
