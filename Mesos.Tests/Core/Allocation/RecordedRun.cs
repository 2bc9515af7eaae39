using Mesos.Core.Events;
using Mesos.Core.Resources;

namespace Mesos.Tests.Core.Allocation;

/// <summary>A log of a small busy cluster: several frameworks and roles, weights, quota, launches, declines, a suppress.</summary>
internal static class RecordedRun
{
    public static IReadOnlyList<ClusterEvent> Events()
    {
        var world = new AllocatorWorld();
        for (var i = 0; i < 5; i++)
        {
            world.AddAgent(i % 2 == 0 ? "cpus:4;mem:4096;ports:[31000-31100]" : "cpus(eng):2;cpus:2;mem:8192");
        }

        world.Weights(("eng", 2));
        world.Quota("ops", "cpus:2;mem:1024", "cpus:6");
        var web = world.Subscribe("web", "eng/web");
        world.Subscribe("batch", "eng/batch", "ops");
        var ops = world.Subscribe("ops", "ops");
        world.Subscribe("any", "*");

        for (var cycle = 0; cycle < 8; cycle++)
        {
            var offers = world.Allocate(1000 + cycle);
            for (var i = 0; i < offers.Count; i++)
            {
                var offer = offers[i];
                var small = ResourceSet.Parse("cpus:0.5;mem:256");
                if (i % 3 == 0 && offer.Resources.Unreserved().Contains(small))
                {
                    world.Launch(offer, small, refuseSeconds: 2);
                }
                else
                {
                    world.Decline(offer, refuseSeconds: i % 2 == 0 ? 1 : 3);
                }
            }

            if (cycle == 3)
            {
                world.Execute(new Mesos.Core.Commands.SuppressOffers(ops, []) { Principal = "ops" });
            }

            if (cycle == 5)
            {
                world.Execute(new Mesos.Core.Commands.ReviveOffers(ops, []) { Principal = "ops" });
                world.Execute(new Mesos.Core.Commands.ExpireOffers(TimeSpan.FromSeconds(1)) { Principal = "master" });
            }

            world.Advance(TimeSpan.FromSeconds(1.5));
        }

        _ = web;
        return world.Log;
    }

    /// <summary>The same log with the resources of the <paramref name="nth"/> offer (counting from 1) grown by a megabyte.</summary>
    public static IReadOnlyList<ClusterEvent> Tampered(IReadOnlyList<ClusterEvent> events, int nth, out long cycle)
    {
        var copy = events.ToList();
        var seen = 0;
        long lastCycle = 0;
        for (var i = 0; i < copy.Count; i++)
        {
            if (copy[i] is AllocationCycleRan ran)
            {
                lastCycle = ran.Cycle;
            }

            if (copy[i] is OfferMade offer && ++seen == nth)
            {
                copy[i] = offer with { Resources = offer.Resources + ResourceSet.Parse("mem:1") };
                cycle = lastCycle;
                return copy;
            }
        }

        throw new InvalidOperationException($"the log has fewer than {nth} offers");
    }
}
