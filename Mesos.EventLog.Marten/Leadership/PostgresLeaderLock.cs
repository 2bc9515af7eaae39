using System.Globalization;
using Npgsql;

namespace Mesos.EventLog.Marten.Leadership;

/// <summary>
/// Leadership of a PostgreSQL registry: a transaction-scoped advisory lock held by an open transaction on a
/// connection of its own. A session-level lock alone is not enough: a leader paused by SIGSTOP (or a long GC, or
/// a frozen VM) keeps its TCP connection, and so its lock, forever. Holding the lock inside a transaction with
/// <c>idle_in_transaction_session_timeout</c> set to the lease turns it into a lease: the holder must say
/// something at least once per lease, or the server ends its session and the lock is free for a standby.
/// A leader killed outright loses the lock as soon as the server sees its connection close.
/// The lock only decides who may try to lead; the log's expected position is what stops a deposed leader that
/// has not noticed yet from writing (its append conflicts with the new leader's election event).
/// </summary>
public sealed class PostgresLeaderLock : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private readonly TimeSpan lease;
    private readonly CancellationTokenSource stop = new();

    // One command at a time on the lock's connection: the heartbeat and IsHeldAsync share it.
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly TaskCompletionSource lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task heartbeat;
    private long pausedUntilTicks;
    private int disposed;

    private PostgresLeaderLock(NpgsqlConnection connection, NpgsqlTransaction transaction, TimeSpan lease)
    {
        this.connection = connection;
        this.transaction = transaction;
        this.lease = lease;
        heartbeat = Task.Run(HeartbeatAsync);
    }

    /// <summary>Completes when leadership is lost: the lease ran out, or the connection to the database broke.</summary>
    public Task Lost => lost.Task;

    /// <summary>Takes the lock called <paramref name="name"/> if nobody holds it; null if someone does.</summary>
    /// <exception cref="RegistryException">The database cannot be reached.</exception>
    public static async Task<PostgresLeaderLock?> TryAcquireAsync(string connectionString, string name, TimeSpan lease, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lease, TimeSpan.FromMilliseconds(200));
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Its own physical connection: the lock lives exactly as long as this session.
            Pooling = false,
            ApplicationName = "mesos-master leader lock",
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using (var set = new NpgsqlCommand(
                string.Create(CultureInfo.InvariantCulture, $"SET idle_in_transaction_session_timeout = {(long)lease.TotalMilliseconds};"), connection))
            {
                await set.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0));", connection, transaction);
            take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            if (await take.ExecuteScalarAsync(ct).ConfigureAwait(false) is true)
            {
                return new PostgresLeaderLock(connection, transaction, lease);
            }

            await transaction.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch (NpgsqlException e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new RegistryException(MartenEventLog.DescribeConnection(connectionString), $"leader lock: {e.Message}", e);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Whether the lock is held now, asked of the server (a round trip on the lock's transaction). True means it was
    /// held without a break since it was taken: the transaction holding it cannot outlive a broken session, and a
    /// session the server ended (lease run out, or terminated) fails every later command. A new leader asks this
    /// after its election event is committed: if the lease ran out before, another master may lead, and this one steps back.
    /// </summary>
    public async Task<bool> IsHeldAsync(CancellationToken ct)
    {
        if (lost.Task.IsCompleted || Volatile.Read(ref disposed) != 0)
        {
            return false;
        }

        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await PingAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            lost.TrySetResult();
            return false;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Gives the lock up (the transaction ends, and with it the lock).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await heartbeat.ConfigureAwait(false);
        try
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        stop.Dispose();
        gate.Dispose();
    }

    /// <summary>Stops the heartbeat for <paramref name="duration"/> without giving up the lock, as SIGSTOP would: for tests of the lease.</summary>
    internal void PauseHeartbeat(TimeSpan duration) => Interlocked.Exchange(ref pausedUntilTicks, DateTime.UtcNow.Add(duration).Ticks);

    private async Task HeartbeatAsync()
    {
        // Four heartbeats per lease: one late or slow heartbeat does not cost the lease.
        var interval = lease / 4;
        try
        {
            while (true)
            {
                await Task.Delay(interval, stop.Token).ConfigureAwait(false);
                if (DateTime.UtcNow.Ticks < Interlocked.Read(ref pausedUntilTicks))
                {
                    continue;
                }

                await gate.WaitAsync(stop.Token).ConfigureAwait(false);
                try
                {
                    await PingAsync(stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or OperationCanceledException)
        {
            lost.TrySetResult();
        }
    }

    private async Task PingAsync(CancellationToken ct)
    {
        await using var ping = new NpgsqlCommand("SELECT 1;", connection, transaction) { CommandTimeout = Math.Max(1, (int)lease.TotalSeconds) };
        await ping.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }
}
