using System.Globalization;
using System.Text;
using Mesos.Protocol.V1;

namespace Mesos.Cli.Output;

/// <summary>The text of <c>mesos explain</c>: the cycle it is about, then one line per reason.</summary>
internal static class Explanations
{
    public static string Render(ExplainAllocationReply reply, bool withFramework, bool withAgent)
    {
        if (!reply.HasCycle)
        {
            return "No allocation cycle has run yet.\n";
        }

        var at = DateTimeOffset.UnixEpoch.AddTicks((long)(reply.CycleTime * TimeSpan.TicksPerSecond));
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"Latest allocation cycle: {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, log position {reply.Position}, {reply.OffersMade} offers made.\n"));
        if (reply.Reasons.Count == 0)
        {
            text.Append("Nothing to explain: no framework role and agent met in that cycle.\n");
        }

        foreach (var reason in reply.Reasons)
        {
            var subject = new List<string>(3);
            if (withFramework && reason.FrameworkId.Length > 0)
            {
                subject.Add("framework " + reason.FrameworkId);
            }

            if (reason.Role.Length > 0)
            {
                subject.Add("role " + reason.Role);
            }

            if (withAgent)
            {
                subject.Add(reason.AgentId.Length > 0 ? "on agent " + reason.AgentId : "on every agent");
            }

            text.Append(subject.Count > 0 ? string.Join(' ', subject) + ": " : string.Empty).Append(reason.Text).Append('\n');
        }

        return text.ToString();
    }
}
