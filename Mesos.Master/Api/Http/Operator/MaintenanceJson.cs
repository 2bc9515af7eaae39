using System.Text.Json;
using Mesos.Core.Collections;
using Mesos.Core.Maintenance;
using Mesos.Core.State;
using static Mesos.Master.Api.Http.JsonFields;

namespace Mesos.Master.Api.Http.Operator;

/// <summary>
/// Mesos 1.11's maintenance messages in JSON (maintenance.proto's Schedule and ClusterStatus, mesos.proto's MachineID),
/// read for UPDATE_MAINTENANCE_SCHEDULE / START_MAINTENANCE / STOP_MAINTENANCE and their legacy endpoints, and written
/// for GET_MAINTENANCE_SCHEDULE / GET_MAINTENANCE_STATUS and <c>/master/maintenance/*</c>, which share the shape.
/// </summary>
public static class MaintenanceJson
{
    /// <summary>A Schedule: <c>{"windows": [{"machine_ids": [{"hostname", "ip"}], "unavailability": {"start": {"nanoseconds"}, "duration": {...}}}]}</c>.</summary>
    public static ValueArray<MaintenanceWindow> ReadSchedule(JsonElement schedule, string path)
    {
        var windows = new List<MaintenanceWindow>();
        var i = 0;
        foreach (var window in Array(schedule, "windows", path))
        {
            var at = $"{Join(path, "windows")}[{i++}]";
            if (window.ValueKind != JsonValueKind.Object)
            {
                throw new JsonConversionException($"Not expecting a JSON value other than an object for field '{at}'");
            }

            var unavailability = Object(window, "unavailability", at) ?? throw new JsonConversionException($"Missing required fields: {at}.unavailability");
            windows.Add(new MaintenanceWindow(ReadMachines(window, "machine_ids", at), ReadUnavailability(unavailability, at + ".unavailability")));
        }

        return ValueArray.From(windows);
    }

    /// <summary>A repeated MachineID field of <paramref name="parent"/>.</summary>
    public static ValueArray<MachineId> ReadMachines(JsonElement parent, string name, string path) =>
        ValueArray.From(Array(parent, name, path).Select(m => ReadMachine(m, Join(path, name))));

    /// <summary>A JSON array of MachineIDs, the body of <c>/master/machine/down</c> and <c>/up</c>.</summary>
    public static ValueArray<MachineId> ReadMachineArray(JsonElement array) =>
        ValueArray.From(array.EnumerateArray().Where(m => m.ValueKind != JsonValueKind.Null).Select(m => ReadMachine(m, string.Empty)));

    private static MachineId ReadMachine(JsonElement machine, string path) =>
        machine.ValueKind == JsonValueKind.Object
            ? new MachineId(String(machine, "hostname", path) ?? string.Empty, String(machine, "ip", path) ?? string.Empty)
            : throw new JsonConversionException($"Not expecting a JSON value other than an object for a MachineID{(path.Length > 0 ? " in '" + path + "'" : string.Empty)}");

    private static Unavailability ReadUnavailability(JsonElement unavailability, string path)
    {
        var start = Object(unavailability, "start", path) ?? throw new JsonConversionException($"Missing required fields: {path}.start");
        var startNanoseconds = Int64(start, "nanoseconds", path + ".start") ?? throw new JsonConversionException($"Missing required fields: {path}.start.nanoseconds");
        long? durationNanoseconds = null;
        if (Object(unavailability, "duration", path) is { } duration)
        {
            durationNanoseconds = Int64(duration, "nanoseconds", path + ".duration") ?? throw new JsonConversionException($"Missing required fields: {path}.duration.nanoseconds");
        }

        return new Unavailability(startNanoseconds, durationNanoseconds);
    }

    /// <summary>The Schedule's fields (the caller writes the enclosing object); an empty schedule has none.</summary>
    public static void WriteSchedule(Utf8JsonWriter json, MaintenanceState maintenance)
    {
        if (maintenance.Schedule.IsEmpty)
        {
            return;
        }

        json.WriteStartArray("windows");
        foreach (var window in maintenance.Schedule)
        {
            json.WriteStartObject();
            json.WriteStartArray("machine_ids");
            foreach (var machine in window.Machines)
            {
                WriteMachine(json, machine);
            }

            json.WriteEndArray();
            WriteUnavailability(json, "unavailability", window.Unavailability);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>
    /// The ClusterStatus's fields: DRAINING machines with the last answer of each framework to an inverse offer for an
    /// agent on them, then DOWN machines, as Mesos lists them (machines that are up are not listed).
    /// </summary>
    public static void WriteStatus(Utf8JsonWriter json, ClusterState state)
    {
        var maintenance = state.Maintenance;
        var draining = maintenance.Machines.Values.Where(m => m.Mode == MachineMode.Draining).ToList();
        if (draining.Count > 0)
        {
            json.WriteStartArray("draining_machines");
            foreach (var machine in draining)
            {
                json.WriteStartObject();
                json.WritePropertyName("id");
                WriteMachine(json, machine.Id);
                var statuses = state.Agents.Values
                    .Where(a => a.Status != Core.Agents.AgentStatus.Removed && a.Machine == machine.Id && maintenance.Answers.ContainsKey(a.Id))
                    .SelectMany(a => maintenance.Answers[a.Id].Values)
                    .ToList();
                if (statuses.Count > 0)
                {
                    json.WriteStartArray("statuses");
                    foreach (var status in statuses)
                    {
                        json.WriteStartObject();
                        json.WriteString("status", status.Answer switch
                        {
                            InverseOfferAnswer.Accept => "ACCEPT",
                            InverseOfferAnswer.Decline => "DECLINE",
                            _ => "UNKNOWN",
                        });
                        SchedulerEventJson.WriteId(json, "framework_id", status.FrameworkId.Value);
                        V1Json.WriteTimeInfo(json, "timestamp", status.At);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        var down = maintenance.Machines.Values.Where(m => m.Mode == MachineMode.Down).ToList();
        if (down.Count > 0)
        {
            json.WriteStartArray("down_machines");
            foreach (var machine in down)
            {
                WriteMachine(json, machine.Id);
            }

            json.WriteEndArray();
        }
    }

    private static void WriteMachine(Utf8JsonWriter json, MachineId machine)
    {
        json.WriteStartObject();
        if (machine.Hostname.Length > 0)
        {
            json.WriteString("hostname", machine.Hostname);
        }

        if (machine.Ip.Length > 0)
        {
            json.WriteString("ip", machine.Ip);
        }

        json.WriteEndObject();
    }

    private static void WriteUnavailability(Utf8JsonWriter json, string name, Unavailability unavailability)
    {
        json.WriteStartObject(name);
        json.WriteStartObject("start");
        json.WriteNumber("nanoseconds", unavailability.StartNanoseconds);
        json.WriteEndObject();
        if (unavailability.DurationNanoseconds is { } duration)
        {
            json.WriteStartObject("duration");
            json.WriteNumber("nanoseconds", duration);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
