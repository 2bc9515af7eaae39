using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Mesos.UiTests;

/// <summary>The web UI in headless Chromium against a real master and agent; each test leaves a screenshot in <c>screenshots/</c>.</summary>
public sealed class WebUiTests(UiCluster cluster) : IClassFixture<UiCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static string NewTaskId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task AgentsPage_ListsTheAgentsHostnameAndResources()
    {
        var page = await cluster.OpenAsync("#/agents");

        var row = page.Locator("main table tbody tr").Filter(new LocatorFilterOptions { HasText = cluster.Agent.AgentId! });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("127.0.0.1");
        await Assertions.Expect(row).ToContainTextAsync("/ 4");
        await Assertions.Expect(row).ToContainTextAsync("/ 2 GB");
        await Assertions.Expect(row).ToContainTextAsync("ACTIVE");
        await UiCluster.ScreenshotAsync(page, "agents");
    }

    [Fact]
    public async Task LaunchingATask_MakesItAppearWithoutAReload()
    {
        using var cts = new CancellationTokenSource(Patience);
        var page = await cluster.OpenAsync("#/tasks");
        await Assertions.Expect(page.Locator("#tasks-table")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { window.__notReloaded = true; }");
        var taskId = NewTaskId("live");

        await cluster.Framework.LaunchAsync(taskId, "sleep 5", cts.Token);

        await Assertions.Expect(page.Locator("#tasks-table")).ToContainTextAsync(taskId);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__notReloaded === true"));
        await UiCluster.ScreenshotAsync(page, "task-appears-live");
    }

    [Fact]
    public async Task TaskPage_ShowsItsStdout()
    {
        using var cts = new CancellationTokenSource(Patience);
        var taskId = NewTaskId("hello");
        await cluster.Framework.LaunchAsync(taskId, "echo hello from the ui test", cts.Token);
        var updates = await cluster.Framework.UpdatesUntilTerminalAsync(taskId, cts.Token);
        Assert.Equal(Protocol.V1.TaskState.TaskFinished, updates[^1].State);

        var page = await cluster.OpenAsync($"#/tasks/{cluster.Framework.Context.FrameworkId}/{taskId}");

        await Assertions.Expect(page.Locator("#file-view")).ToContainTextAsync("hello from the ui test");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("TASK_FINISHED");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("OfferMade");
        await UiCluster.ScreenshotAsync(page, "task-stdout");
    }

    [Fact]
    public async Task AHistoryMomentBeforeTheLaunch_ShowsTheClusterWithoutTheTask()
    {
        using var cts = new CancellationTokenSource(Patience);
        var taskId = NewTaskId("past");
        await cluster.Framework.LaunchAsync(taskId, "echo from the past", cts.Token);
        await cluster.Framework.UpdatesUntilTerminalAsync(taskId, cts.Token);
        var page = await cluster.OpenAsync($"#/history?type=TaskLaunched");
        var launch = page.Locator("main table tbody tr").Filter(new LocatorFilterOptions { HasText = taskId });
        await Assertions.Expect(launch).ToHaveCountAsync(1);

        await launch.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "before" }).ClickAsync();
        await Assertions.Expect(page.Locator("#banner")).ToContainTextAsync("as it was at log position");
        await page.GotoAsync($"{cluster.Url}/#/tasks");
        await page.SelectOptionAsync("#task-state", string.Empty);

        await Assertions.Expect(page.Locator("#banner")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#tasks-table")).Not.ToContainTextAsync(taskId);
        await UiCluster.ScreenshotAsync(page, "history-before-launch");
        await page.ClickAsync("#asof-live");
        await Assertions.Expect(page.Locator("#tasks-table")).ToContainTextAsync(taskId);
        await Assertions.Expect(page.Locator("#live-status")).ToHaveTextAsync(new Regex("live"));
    }

    [Fact]
    public async Task ATimePickedBeforeTheLaunch_ShowsTheClusterWithoutTheTask_AndTheAgentsOutstandingOffers()
    {
        using var cts = new CancellationTokenSource(Patience);

        // The picker has whole seconds: pick one that has begun after everything before it (the agent's registration).
        await Task.Delay(1100, cts.Token);
        var now = DateTime.Now;
        var picked = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        await Task.Delay(1100, cts.Token);
        var taskId = NewTaskId("picked");
        await cluster.Framework.LaunchAsync(taskId, "echo after the picked moment", cts.Token);
        await cluster.Framework.UpdatesUntilTerminalAsync(taskId, cts.Token);
        var page = await cluster.OpenAsync("#/tasks");
        await page.SelectOptionAsync("#task-state", string.Empty);
        await Assertions.Expect(page.Locator("#tasks-table")).ToContainTextAsync(taskId);

        // Chromium writes a whole minute back without its ':00' and Playwright refuses a fill that does not read back.
        var pickedValue = picked.ToString(picked.Second == 0 ? "yyyy-MM-ddTHH:mm" : "yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        await page.FillAsync("#asof-time", pickedValue);

        await Assertions.Expect(page.Locator("#banner")).ToContainTextAsync("as it was at log position");
        await Assertions.Expect(page.Locator("#tasks-table")).Not.ToContainTextAsync(taskId);
        await UiCluster.ScreenshotAsync(page, "time-picked-before-launch");

        // The agent was there at that moment, with the offers the framework held then.
        await page.GotoAsync($"{cluster.Url}/#/agents/{cluster.Agent.AgentId}");
        await Assertions.Expect(page.Locator("#banner")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main h2")).ToContainTextAsync("127.0.0.1");
        await Assertions.Expect(page.Locator("#agent-offers")).ToBeVisibleAsync();
        await page.ClickAsync("#asof-live");
        await Assertions.Expect(page.Locator("#live-status")).ToHaveTextAsync(new Regex("live"));

        // Live, the framework holds an offer on the agent (the test framework never declines): both pages list it.
        await Assertions.Expect(page.Locator("#agent-offers tbody tr").First).ToContainTextAsync(cluster.Framework.Context.FrameworkId, new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        await page.GotoAsync($"{cluster.Url}/#/frameworks/{cluster.Framework.Context.FrameworkId}");
        await Assertions.Expect(page.Locator("#framework-offers tbody tr").First).ToContainTextAsync(cluster.Agent.AgentId!);
        await UiCluster.ScreenshotAsync(page, "framework-offers");
    }

    [Fact]
    public async Task Overview_ShowsTotalsChartAndLeader()
    {
        var page = await cluster.OpenAsync("#/overview");

        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(cluster.Master.Server.Identity.Id);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("1.11.0");
        await Assertions.Expect(page.Locator("main .card").First).ToContainTextAsync("agents");
        await page.Keyboard.PressAsync("g");
        await page.Keyboard.PressAsync("a");
        await Assertions.Expect(page.Locator("main h2")).ToHaveTextAsync("Agents");
        await page.Keyboard.PressAsync("g");
        await page.Keyboard.PressAsync("o");
        await Assertions.Expect(page.Locator("main h2")).ToHaveTextAsync("Overview");
        await UiCluster.ScreenshotAsync(page, "overview");
    }

    [Fact]
    public async Task FrameworkPage_ShowsTheAllocatorsLatestReasons()
    {
        var page = await cluster.OpenAsync($"#/frameworks/{cluster.Framework.Context.FrameworkId}");

        await Assertions.Expect(page.Locator("main h2")).ToContainTextAsync("ui-tests");
        await Assertions.Expect(page.Locator("#allocator-explain")).ToContainTextAsync("Allocation cycle at log position");
        await UiCluster.ScreenshotAsync(page, "framework");
    }
}
