using Mesos.Core.Collections;

namespace Mesos.Core.Frameworks;

/// <summary>Mesos' FrameworkInfo as the master keeps it. <see cref="Roles"/> is never empty: a framework without roles is in <c>*</c>.</summary>
public sealed record FrameworkInfo(
    string Name,
    string User,
    ValueArray<string> Roles,
    double FailoverTimeoutSeconds,
    bool Checkpoint,
    string Principal,
    string Hostname,
    string WebUiUrl,
    ValueArray<FrameworkCapability> Capabilities)
{
    public bool Has(FrameworkCapability capability) => Capabilities.Items.Contains(capability);
}
