using Mesos.Benchmarks;

switch (args.FirstOrDefault())
{
    case "eventlog":
        await EventLogBenchmark.RunAsync(args[1..]);
        break;
}

return 0;
