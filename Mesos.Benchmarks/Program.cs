using System.Globalization;
using Mesos.Benchmarks;

// Benchmarks print figures; they never assert.
//   dotnet run -c Release --project Mesos.Benchmarks -- [fold [EVENTS] | eventlog | pglog --registry_url URL | launch [TASKS] | allocator [AGENTS,..] [FRAMEWORKS,..] [quota] | container [TASKS] | state [AGENTS] [TASKS_PER_AGENT] | projections [EVENTS] | state-readers [AGENTS] [TASKS_PER_AGENT] [--readers 0,1,4,16] | recovery [--events N] [--registry_url URL] | failover --registry_url URL [--kills N] [--seed S] | all]
var which = args.Length > 0 ? args[0] : "all";
switch (which)
{
    case "fold":
        FoldBenchmark.Run(events: args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000, runs: 3);
        break;
    case "launch":
        await LaunchBenchmark.RunAsync(tasks: args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200, concurrency: 8, runs: 3);
        break;
    case "eventlog":
        await EventLogBenchmark.RunAsync(args[1..]);
        break;
    case "pglog":
        await PgLogBenchmark.RunAsync(args[1..]);
        break;
    case "allocator":
        AllocatorBenchmark.Run(args[1..]);
        break;
    case "container":
        await ContainerBenchmark.RunAsync(tasks: args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200, concurrency: 4, runs: 3);
        break;
    case "state":
        await StateEndpointsBenchmark.RunAsync(
            agents: args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000,
            tasksPerAgent: args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10,
            runs: 3);
        break;
    case "state-readers":
        await StateReadersBenchmark.RunAsync(args[1..]);
        break;
    case "recovery":
        await RecoveryBenchmark.RunAsync(args[1..]);
        break;
    case "failover":
        await FailoverBenchmark.RunAsync(args[1..]);
        break;
    case "projections":
        await ProjectionsBenchmark.RunAsync(args[1..]);
        break;
    case "all":
        FoldBenchmark.Run(1_000_000, 3);
        await EventLogBenchmark.RunAsync([]);
        await LaunchBenchmark.RunAsync(200, 8, 3);
        break;
    default:
        Console.Error.WriteLine($"unknown benchmark '{which}': use fold, eventlog, pglog, launch, allocator, container, state, projections, state-readers, recovery, failover or all");
        return 1;
}

return 0;
