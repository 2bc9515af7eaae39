using CsCheck;
using Mesos.Core.Decisions;
using Mesos.Core.Resources;
using static Mesos.Tests.Core.Resources.ResourceGenerators;

namespace Mesos.Tests.Core.Resources;

public sealed class VolumeResourceTests
{
    private static readonly Gen<string> Text = Gen.OneOf("db", "a:b", "x[1]", "p;q", "%20", "data/db", "é", "(r)");

    private static readonly Gen<DiskVolume> Volume = Gen.Select(Text, Gen.OneOf(Text.Select(t => (string?)t), Gen.Const((string?)null)), Text, Gen.OneOf(VolumeMode.Rw, VolumeMode.Ro),
        (id, principal, path, mode) => new DiskVolume(id, principal, path, mode));

    /// <summary>Reserved disk of random sets, some of it made into volumes.</summary>
    private static readonly Gen<(ResourceSet Disk, ResourceSet Volumes)> DiskAndVolumes =
        Gen.Select(Set, Volume.Array[1, 3], (set, volumes) =>
        {
            var disk = ResourceSet.Of(volumes.Select((_, i) => Resource.OfScalar("disk", 10 + i, i % 2 == 0 ? "eng" : "ops")));
            var made = ResourceSet.Of(disk.Entries.Zip(volumes, (d, v) => d.WithVolume(v)));
            return (set.Filter(r => r.Name != "disk") + disk, made);
        });

    [Fact]
    public void Print_ThenParse_KeepsTheVolume_WhateverItsIdPathAndPrincipalHold() =>
        Gen.Select(Set, Volume).Sample((set, volume) =>
        {
            var withVolume = set + ResourceSet.Of(Resource.OfScalar("disk", 64, "eng").WithVolume(volume));
            Assert.Equal(withVolume, ResourceSet.Parse(withVolume.ToString()));
        }, iter: 300);

    [Fact]
    public void CreateThenDestroy_ReturnsTheResources_AndAVolumeIsTakenWholeOrNotAtAll() =>
        DiskAndVolumes.Sample(x =>
        {
            var (total, volumes) = x;
            var created = total - VolumeDecisions.Sources(volumes) + volumes;
            Assert.True(created.Contains(volumes));
            Assert.Equal(total, created - volumes + VolumeDecisions.Sources(volumes));

            var first = volumes.Entries[0];
            var half = ResourceSet.Of(Resource.OfScalar("disk", first.Scalar.ToDouble() / 2).WithReservations(first.Reservations).WithVolume(first.Volume));
            Assert.False(created.Contains(half));
        }, iter: 300);

    [Fact]
    public void Volumes_AreSlotsOfTheirOwn_SoPlainDiskOfTheSameRoleDoesNotMergeWithThem()
    {
        var set = ResourceSet.Parse("disk(eng):40;disk(eng)[db:data:rw]:60");

        Assert.Equal(2, set.Entries.Length);
        Assert.Equal(ResourceSet.Parse("disk(eng):40"), set - ResourceSet.Parse("disk(eng)[db:data:rw]:60"));
        Assert.False(set.Contains(ResourceSet.Parse("disk(eng):100")));
        Assert.Equal("disk(eng):40;disk(eng)[db:data:rw]:60", set.ToString());
    }

    [Theory]
    [InlineData("disk(eng)[db:data:xx]:1", "mode 'xx'")]
    [InlineData("disk(eng)[db]:1", "not a persistent volume")]
    [InlineData("disk(eng)[db:da%zzta:rw]:1", "'%' not followed by two hex digits")]
    public void Parse_OfABadVolume_SaysWhatIsWrong(string text, string message)
    {
        Assert.False(ResourceSet.TryParse(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
