namespace Mesos.Tests.Core.State;

/// <summary>Marks a test of the fold's case for <see cref="EventType"/>; <see cref="FoldCoverageTests"/> requires one per catalogue entry.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class FoldsEventAttribute(Type eventType) : Attribute
{
    public Type EventType { get; } = eventType;
}
