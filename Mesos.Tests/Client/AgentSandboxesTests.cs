using System.Text.Json;
using Mesos.Client;

namespace Mesos.Tests.Client;

public sealed class AgentSandboxesTests
{
    private const string State = """
        {
          "frameworks": [
            {
              "id": "fw-1",
              "executors": [
                { "id": "web-1", "directory": "/sandboxes/fw-1/web-1", "tasks": [ { "id": "web-1" } ], "completed_tasks": [] },
                { "id": "custom", "directory": "/sandboxes/fw-1/custom", "tasks": [], "queued_tasks": [ { "id": "queued-1" } ] }
              ],
              "completed_executors": [
                { "id": "batch-1", "directory": "/sandboxes/fw-1/batch-1", "completed_tasks": [ { "id": "batch-1" } ] }
              ]
            }
          ],
          "completed_frameworks": [
            {
              "id": "fw-0",
              "completed_executors": [
                { "id": "web-1", "directory": "/sandboxes/fw-0/web-1", "completed_tasks": [ { "id": "web-1" } ] },
                { "id": "old", "directory": "/sandboxes/fw-0/old" }
              ]
            }
          ]
        }
        """;

    [Theory]
    [InlineData("web-1", null, "/sandboxes/fw-1/web-1", false)]
    [InlineData("web-1", "fw-0", "/sandboxes/fw-0/web-1", true)]
    [InlineData("queued-1", null, "/sandboxes/fw-1/custom", false)]
    [InlineData("batch-1", null, "/sandboxes/fw-1/batch-1", true)]
    [InlineData("old", null, "/sandboxes/fw-0/old", true)]
    public void Find_KnownTask_GivesItsExecutorDirectory(string taskId, string? frameworkId, string directory, bool completed)
    {
        using var state = JsonDocument.Parse(State);
        var sandbox = AgentSandboxes.Find(state.RootElement, taskId, frameworkId);
        Assert.NotNull(sandbox);
        Assert.Equal(directory, sandbox.Directory);
        Assert.Equal(completed, sandbox.Completed);
    }

    [Theory]
    [InlineData("nope", null)]
    [InlineData("batch-1", "fw-0")]
    public void Find_UnknownTask_GivesNull(string taskId, string? frameworkId)
    {
        using var state = JsonDocument.Parse(State);
        Assert.Null(AgentSandboxes.Find(state.RootElement, taskId, frameworkId));
    }

    [Fact]
    public void Find_EmptyState_GivesNull()
    {
        using var state = JsonDocument.Parse("{}");
        Assert.Null(AgentSandboxes.Find(state.RootElement, "web-1"));
    }
}
