using Mesos.Core.Collections;

namespace Mesos.Core.Tasks;

/// <summary>Mesos' CommandInfo: with <see cref="Shell"/> (the default) <see cref="Value"/> runs under <c>/bin/sh -c</c>.</summary>
public sealed record CommandInfo(
    string Value,
    bool Shell,
    ValueArray<string> Arguments,
    ValueArray<EnvironmentVariable> Environment,
    string? User);
