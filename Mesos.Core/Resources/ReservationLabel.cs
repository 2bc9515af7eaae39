namespace Mesos.Core.Resources;

/// <summary>One of a dynamic reservation's labels (Mesos' Label: a key and an optional value).</summary>
public sealed record ReservationLabel(string Key, string? Value);
