using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mesos.Protocol.Wire.Transcoding;
using static Mesos.Master.Api.Http.JsonFields;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Master.Api.Http;

/// <summary>
/// Renders the scheduler events the master queues for a framework (the gRPC edge's messages, already the public
/// projection of the log) as Mesos 1.11's v1 <c>scheduler.Event</c> JSON: fields in field-number order, ids as
/// <c>{"value": ...}</c>, enums by name, bytes base64, doubles as stout writes them, ASCII only.
/// </summary>
public static class SchedulerEventJson
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Render(V1.SchedulerEvent @event)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            switch (@event.EventCase)
            {
                case V1.SchedulerEvent.EventOneofCase.Subscribed:
                    json.WriteString("type", "SUBSCRIBED");
                    json.WriteStartObject("subscribed");
                    WriteId(json, "framework_id", @event.Subscribed.FrameworkId);
                    WriteDouble(json, "heartbeat_interval_seconds", @event.Subscribed.HeartbeatIntervalSeconds);
                    if (@event.Subscribed.MasterInfo is { } master)
                    {
                        WriteMasterInfo(json, master);
                    }

                    json.WriteEndObject();
                    break;

                case V1.SchedulerEvent.EventOneofCase.Offers:
                    json.WriteString("type", "OFFERS");
                    json.WriteStartObject("offers");
                    json.WriteStartArray("offers");
                    foreach (var offer in @event.Offers.Offers_)
                    {
                        WriteOffer(json, offer);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;

                case V1.SchedulerEvent.EventOneofCase.InverseOffers:
                    json.WriteString("type", "INVERSE_OFFERS");
                    json.WriteStartObject("inverse_offers");
                    json.WriteStartArray("inverse_offers");
                    foreach (var inverse in @event.InverseOffers.InverseOffers_)
                    {
                        WriteInverseOffer(json, inverse);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;

                case V1.SchedulerEvent.EventOneofCase.RescindInverseOffer:
                    json.WriteString("type", "RESCIND_INVERSE_OFFER");
                    json.WriteStartObject("rescind_inverse_offer");
                    WriteId(json, "inverse_offer_id", @event.RescindInverseOffer.InverseOfferId);
                    json.WriteEndObject();
                    break;

                case V1.SchedulerEvent.EventOneofCase.Rescind:
                    json.WriteString("type", "RESCIND");
                    json.WriteStartObject("rescind");
                    WriteId(json, "offer_id", @event.Rescind.OfferId);
                    json.WriteEndObject();
                    break;

                case V1.SchedulerEvent.EventOneofCase.Update:
                    json.WriteString("type", "UPDATE");
                    json.WriteStartObject("update");
                    json.WritePropertyName("status");
                    WriteTaskStatus(json, @event.Update.Status ?? new V1.TaskStatus());
                    json.WriteEndObject();
                    break;

                case V1.SchedulerEvent.EventOneofCase.Failure:
                    json.WriteString("type", "FAILURE");
                    json.WriteStartObject("failure");
                    WriteIdIfSet(json, "agent_id", @event.Failure.AgentId);
                    WriteIdIfSet(json, "executor_id", @event.Failure.ExecutorId);
                    if (@event.Failure.HasStatus)
                    {
                        json.WriteNumber("status", @event.Failure.Status);
                    }

                    json.WriteEndObject();
                    break;

                case V1.SchedulerEvent.EventOneofCase.Message:
                    json.WriteString("type", "MESSAGE");
                    json.WriteStartObject("message");
                    WriteId(json, "agent_id", @event.Message.AgentId);
                    WriteId(json, "executor_id", @event.Message.ExecutorId);
                    json.WriteBase64String("data", @event.Message.Data.Span);
                    json.WriteEndObject();
                    break;

                case V1.SchedulerEvent.EventOneofCase.UpdateOperationStatus:
                    json.WriteString("type", "UPDATE_OPERATION_STATUS");
                    json.WriteStartObject("update_operation_status");
                    json.WritePropertyName("status");
                    WriteOperationStatus(json, @event.UpdateOperationStatus.Status ?? new V1.OperationStatus());
                    json.WriteEndObject();
                    break;

                case V1.SchedulerEvent.EventOneofCase.Error:
                    json.WriteString("type", "ERROR");
                    json.WriteStartObject("error");
                    json.WriteString("message", @event.Error.Message);
                    json.WriteEndObject();
                    break;

                default:
                    json.WriteString("type", "HEARTBEAT");
                    break;
            }

            json.WriteEndObject();
        }

        return AsciiOnly(buffer.WrittenSpan);
    }

    /// <summary>Mesos' OperationStatus, fields in number order; the master's own statuses have no uuid (never acknowledged).</summary>
    public static void WriteOperationStatus(Utf8JsonWriter json, V1.OperationStatus status)
    {
        json.WriteStartObject();
        WriteIdIfSet(json, "operation_id", status.OperationId);
        json.WriteString("state", ProtoName(status.State));
        if (status.Message.Length > 0)
        {
            json.WriteString("message", status.Message);
        }

        if (status.Uuid.Length > 0)
        {
            json.WriteStartObject("uuid");
            json.WriteBase64String("value", status.Uuid.Span);
            json.WriteEndObject();
        }

        WriteIdIfSet(json, "agent_id", status.AgentId);
        WriteIdIfSet(json, "resource_provider_id", status.ResourceProviderId);
        json.WriteEndObject();
    }

    public static void WriteMasterInfo(Utf8JsonWriter json, V1.MasterInfo master, string name = "master_info")
    {
        json.WriteStartObject(name);
        json.WriteString("id", master.Id);
        json.WriteNumber("ip", PackedIp(master.Ip));
        json.WriteNumber("port", master.Port);
        json.WriteString("pid", $"master@{master.Ip}:{master.Port}");
        json.WriteString("hostname", master.Hostname);
        json.WriteString("version", master.Version);
        json.WriteStartObject("address");
        json.WriteString("hostname", master.Hostname);
        json.WriteString("ip", master.Ip);
        json.WriteNumber("port", master.Port);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>MasterInfo.ip is a uint32 holding the IPv4 address in network byte order read as a little-endian host integer, as Mesos fills it.</summary>
    public static uint PackedIp(string ip) =>
        IPAddress.TryParse(ip, out var address) && address.GetAddressBytes() is { Length: 4 } bytes
            ? BinaryPrimitives.ReadUInt32LittleEndian(bytes)
            : 0;

    private static void WriteOffer(Utf8JsonWriter json, V1.Offer offer)
    {
        json.WriteStartObject();
        WriteId(json, "id", offer.Id);
        WriteId(json, "framework_id", offer.FrameworkId);
        WriteId(json, "agent_id", offer.AgentId);
        json.WriteString("hostname", offer.Hostname);
        json.WriteStartArray("resources");
        foreach (var resource in offer.Resources)
        {
            WriteResource(json, resource);
        }

        json.WriteEndArray();
        WriteExecutorIds(json, offer.ExecutorIds);
        WriteAttributes(json, offer.Attributes);
        WriteAgentUrl(json, offer.Hostname, offer.Ip, offer.Port);
        if (offer.Unavailability is { } unavailability)
        {
            WriteUnavailability(json, "unavailability", unavailability);
        }

        if (offer.AllocationInfo is { } allocation)
        {
            json.WriteStartObject("allocation_info");
            json.WriteString("role", allocation.Role);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>Mesos' Unavailability: <c>{"start": {"nanoseconds": n}, "duration": {"nanoseconds": n}}</c>, duration only when bounded.</summary>
    public static void WriteUnavailability(Utf8JsonWriter json, string name, V1.Unavailability unavailability)
    {
        json.WriteStartObject(name);
        json.WriteStartObject("start");
        json.WriteNumber("nanoseconds", unavailability.StartNanoseconds);
        json.WriteEndObject();
        if (unavailability.HasDurationNanoseconds)
        {
            json.WriteStartObject("duration");
            json.WriteNumber("nanoseconds", unavailability.DurationNanoseconds);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// Mesos' InverseOffer, fields in number order: the url names the agent as its offers' would (Mesos' <c>slave(1)</c>
    /// process), and <c>resources</c> is left empty, meaning all of the agent, as Mesos' maintenance inverse offers do.
    /// </summary>
    public static void WriteInverseOffer(Utf8JsonWriter json, V1.InverseOffer inverse)
    {
        json.WriteStartObject();
        WriteId(json, "id", inverse.Id);
        WriteAgentUrl(json, inverse.Hostname, inverse.Ip, inverse.Port);
        WriteId(json, "framework_id", inverse.FrameworkId);
        WriteId(json, "agent_id", inverse.AgentId);
        WriteUnavailability(json, "unavailability", inverse.Unavailability ?? new V1.Unavailability());
        json.WriteEndObject();
    }

    /// <summary>An offer's <c>executor_ids</c> (Mesos' ExecutorID messages); left out when there are none.</summary>
    public static void WriteExecutorIds(Utf8JsonWriter json, IEnumerable<string> executorIds)
    {
        using var ids = executorIds.GetEnumerator();
        if (!ids.MoveNext())
        {
            return;
        }

        json.WriteStartArray("executor_ids");
        do
        {
            json.WriteStartObject();
            json.WriteString("value", ids.Current);
            json.WriteEndObject();
        }
        while (ids.MoveNext());
        json.WriteEndArray();
    }

    /// <summary>An agent's or offer's <c>attributes</c>; left out when there are none.</summary>
    public static void WriteAttributes(Utf8JsonWriter json, IReadOnlyCollection<V1.Attribute> attributes)
    {
        if (attributes.Count == 0)
        {
            return;
        }

        json.WriteStartArray("attributes");
        foreach (var attribute in attributes)
        {
            WriteAttribute(json, attribute);
        }

        json.WriteEndArray();
    }

    /// <summary>
    /// Mesos' offer and inverse offer <c>url</c>: the agent's libprocess pid as a URL (<c>slave(1)</c> is the agent's
    /// process). Left out when the log never recorded the agent's IP (logs written before agents' addresses were).
    /// </summary>
    public static void WriteAgentUrl(Utf8JsonWriter json, string hostname, string ip, int port)
    {
        if (ip.Length == 0)
        {
            return;
        }

        json.WriteStartObject("url");
        json.WriteString("scheme", "http");
        json.WriteStartObject("address");
        json.WriteString("hostname", hostname);
        json.WriteString("ip", ip);
        json.WriteNumber("port", port);
        json.WriteEndObject();
        json.WriteString("path", "/slave(1)");
        json.WriteEndObject();
    }

    public static void WriteResource(Utf8JsonWriter json, V1.Resource resource)
    {
        json.WriteStartObject();
        json.WriteString("name", resource.Name);
        json.WriteString("type", ProtoName(resource.Type));
        WriteValue(json, resource.Type, resource.Scalar, resource.Ranges, resource.Set, null);

        // `role` is deprecated with default "*": Mesos writes it only when a reservation set it.
        if (resource.Role.Length > 0 && resource.Role != "*")
        {
            json.WriteString("role", resource.Role);
        }

        if (resource.AllocationInfo is { } allocation)
        {
            json.WriteStartObject("allocation_info");
            json.WriteString("role", allocation.Role);
            json.WriteEndObject();
        }

        // Mesos' declaration order: reservation (pre-refinement) after allocation_info, then the stack.
        if (resource.Reservation is { } reservation)
        {
            json.WritePropertyName("reservation");
            WriteReservation(json, reservation, withTypeAndRole: false);
        }

        if (resource.Reservations.Count > 0)
        {
            json.WriteStartArray("reservations");
            foreach (var entry in resource.Reservations)
            {
                WriteReservation(json, entry, withTypeAndRole: true);
            }

            json.WriteEndArray();
        }

        if (resource.Disk is { } disk)
        {
            json.WriteStartObject("disk");
            if (disk.Persistence is { } persistence)
            {
                json.WriteStartObject("persistence");
                json.WriteString("id", persistence.Id);
                if (persistence.Principal.Length > 0)
                {
                    json.WriteString("principal", persistence.Principal);
                }

                json.WriteEndObject();
            }

            if (disk.Volume is { } volume)
            {
                json.WriteStartObject("volume");
                json.WriteString("mode", volume.Mode == V1.Volume.Types.Mode.Ro ? "RO" : "RW");
                json.WriteString("container_path", volume.ContainerPath);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteReservation(Utf8JsonWriter json, V1.ReservationInfo reservation, bool withTypeAndRole)
    {
        json.WriteStartObject();
        if (withTypeAndRole)
        {
            json.WriteString("type", reservation.Type == V1.ReservationInfo.Types.Type.Dynamic ? "DYNAMIC" : "STATIC");
            json.WriteString("role", reservation.Role);
        }

        if (reservation.Principal.Length > 0)
        {
            json.WriteString("principal", reservation.Principal);
        }

        if (reservation.Labels.Count > 0)
        {
            json.WriteStartObject("labels");
            json.WriteStartArray("labels");
            foreach (var label in reservation.Labels)
            {
                json.WriteStartObject();
                json.WriteString("key", label.Key);
                if (label.HasValue)
                {
                    json.WriteString("value", label.Value);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    public static void WriteAttribute(Utf8JsonWriter json, V1.Attribute attribute)
    {
        json.WriteStartObject();
        json.WriteString("name", attribute.Name);
        json.WriteString("type", ProtoName(attribute.Type));
        WriteValue(json, attribute.Type, attribute.Scalar, attribute.Ranges, attribute.Set, attribute.Text);
        json.WriteEndObject();
    }

    /// <summary>Scalar (3), ranges (4), text (5 in Attribute), set: whichever the value's type uses, in field order.</summary>
    private static void WriteValue(Utf8JsonWriter json, V1.Value.Types.Type type, V1.Value.Types.Scalar? scalar, V1.Value.Types.Ranges? ranges, V1.Value.Types.Set? set, V1.Value.Types.Text? text)
    {
        switch (type)
        {
            case V1.Value.Types.Type.Scalar:
                json.WriteStartObject("scalar");
                WriteDouble(json, "value", scalar?.Value ?? 0);
                json.WriteEndObject();
                break;

            case V1.Value.Types.Type.Ranges:
                json.WriteStartObject("ranges");
                if (ranges is { Range.Count: > 0 })
                {
                    json.WriteStartArray("range");
                    foreach (var range in ranges.Range)
                    {
                        json.WriteStartObject();
                        json.WriteNumber("begin", range.Begin);
                        json.WriteNumber("end", range.End);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
                break;

            case V1.Value.Types.Type.Set:
                json.WriteStartObject("set");
                if (set is { Item.Count: > 0 })
                {
                    json.WriteStartArray("item");
                    foreach (var item in set.Item)
                    {
                        json.WriteStringValue(item);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
                break;

            default:
                json.WriteStartObject("text");
                json.WriteString("value", text?.Value ?? string.Empty);
                json.WriteEndObject();
                break;
        }
    }

    /// <summary>A TaskStatus as a value: the caller writes the property name, if any.</summary>
    public static void WriteTaskStatus(Utf8JsonWriter json, V1.TaskStatus status)
    {
        json.WriteStartObject();
        WriteId(json, "task_id", status.TaskId);
        json.WriteString("state", ProtoName(status.State));
        if (status.Message.Length > 0)
        {
            json.WriteString("message", status.Message);
        }

        WriteIdIfSet(json, "agent_id", status.AgentId);
        if (status.Timestamp > 0)
        {
            WriteDouble(json, "timestamp", status.Timestamp);
        }

        WriteIdIfSet(json, "executor_id", status.ExecutorId);
        if (status.HasHealthy)
        {
            json.WriteBoolean("healthy", status.Healthy);
        }

        json.WriteString("source", ProtoName(status.Source));
        if (status.HasReason)
        {
            json.WriteString("reason", ProtoName(status.Reason));
        }

        if (status.Uuid.Length > 0)
        {
            json.WriteString("uuid", status.Uuid.ToBase64());
        }

        json.WriteEndObject();
    }

    public static void WriteId(Utf8JsonWriter json, string name, string value)
    {
        json.WriteStartObject(name);
        json.WriteString("value", value);
        json.WriteEndObject();
    }

    public static void WriteIdIfSet(Utf8JsonWriter json, string name, string value)
    {
        if (value.Length > 0)
        {
            WriteId(json, name, value);
        }
    }

    /// <summary>stout prints doubles with printf's <c>%#.15g</c> and trims trailing zeros down to one after the point: 15 is "15.0".</summary>
    public static void WriteDouble(Utf8JsonWriter json, string name, double value)
    {
        json.WritePropertyName(name);
        WriteDoubleValue(json, value);
    }

    /// <summary>Formatted in place (a large state writes a million of them), as every Mesos JSON this project writes.</summary>
    public static void WriteDoubleValue(Utf8JsonWriter json, double value) => StoutJson.WriteDouble(json, value);

    public static string FormatDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            return double.IsNaN(value) ? "\"NaN\"" : value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
        }

        var text = value.ToString("G15", CultureInfo.InvariantCulture);
        return text.Contains('E', StringComparison.Ordinal) || text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>Escapes whatever is not ASCII as \uXXXX (see <see cref="StoutJson.AsciiOnly"/>).</summary>
    public static byte[] AsciiOnly(ReadOnlySpan<byte> utf8) => StoutJson.AsciiOnly(utf8);
}
