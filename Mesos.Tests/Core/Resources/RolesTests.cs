using Mesos.Core.Resources;

namespace Mesos.Tests.Core.Resources;

public sealed class RolesTests
{
    [Theory]
    [InlineData("*")]
    [InlineData("eng")]
    [InlineData("eng/web")]
    [InlineData("eng/web/api")]
    [InlineData("a.b")]
    [InlineData("a-b")]
    [InlineData("a..b")]
    [InlineData("eng_team")]
    public void IsValid_AcceptsMesosRoles(string role)
    {
        Assert.True(Roles.IsValid(role, out var error), error);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("/eng", "'/eng'")]
    [InlineData("eng/", "'eng/'")]
    [InlineData("eng//web", "'eng//web'")]
    [InlineData(".", "'.'")]
    [InlineData("..", "'..'")]
    [InlineData("eng/.", "'eng/.'")]
    [InlineData("eng/../ops", "'eng/../ops'")]
    [InlineData("-eng", "'-eng'")]
    [InlineData("eng/-web", "'eng/-web'")]
    [InlineData("eng web", "'eng web'")]
    [InlineData("eng\tweb", "whitespace")]
    [InlineData("eng/*", "'eng/*'")]
    [InlineData("*/eng", "'*/eng'")]
    public void IsValid_RejectsBadRoles_NamingThem(string role, string mention)
    {
        Assert.False(Roles.IsValid(role, out var error));
        Assert.Contains(mention, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eng/web", "eng", true)]
    [InlineData("eng/web/api", "eng", true)]
    [InlineData("eng/web/api", "eng/web", true)]
    [InlineData("eng", "eng", false)]
    [InlineData("eng", "eng/web", false)]
    [InlineData("engine/web", "eng", false)]
    [InlineData("engweb", "eng", false)]
    [InlineData("eng", "*", false)]
    public void IsStrictSubroleOf_FollowsTheRoleTree(string role, string ancestor, bool below) =>
        Assert.Equal(below, Roles.IsStrictSubroleOf(role, ancestor));
}
