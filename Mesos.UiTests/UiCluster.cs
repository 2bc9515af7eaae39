using Mesos.Agent;
using Mesos.Tests.Integration;
using Microsoft.Playwright;

namespace Mesos.UiTests;

/// <summary>
/// One real master, one real agent (sockets on 127.0.0.1) and one headless Debian Chromium driven by Playwright,
/// shared by the UI tests. Playwright's own browser download is never used: <c>/usr/bin/chromium</c> is launched.
/// </summary>
public sealed class UiCluster : IAsyncLifetime
{
    public const string AgentResources = "cpus:4;mem:2048;disk:1000;ports:[31000-32000]";

    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? playwright;

    public TestMaster Master { get; private set; } = null!;

    public AgentRuntime Agent { get; private set; } = null!;

    public TestFramework Framework { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string Url => $"http://127.0.0.1:{Master.Port}";

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static string ChromiumPath => Environment.GetEnvironmentVariable("MESOS_CHROMIUM") ?? "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Directory.CreateDirectory(ScreenshotDirectory);
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not at {ChromiumPath}: run infra/install-test-deps.sh (or set MESOS_CHROMIUM)");
        }

        Master = await TestMaster.StartAsync();
        Agent = await TestAgent.StartAsync(Master.Port, TempDirectory.Create("ui-agent"), AgentResources);
        await Agent.WaitForRegistrationAsync(cts.Token);
        Framework = await TestFramework.SubscribeAsync(Master, "ui-tests", cts.Token);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task<IPage> OpenAsync(string hash)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 850 } });
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync($"{Url}/{hash}");
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (Framework is not null)
        {
            await Framework.DisposeAsync();
        }

        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        if (Master is not null)
        {
            await Master.DisposeAsync();
        }
    }
}
