namespace Mesos.Core.Resources;

/// <summary>Role names as Mesos validates them (<c>src/common/roles.cpp</c>): hierarchical with '/', no empty or dot components.</summary>
public static class Roles
{
    public const string Default = "*";

    public static bool IsValid(string role, out string? error)
    {
        error = null;
        if (role == Default)
        {
            return true;
        }

        if (role.Length == 0)
        {
            error = "a role name must not be empty";
        }
        else if (role.StartsWith('/') || role.EndsWith('/'))
        {
            error = $"role '{role}' must not start or end with '/'";
        }
        else if (role.Contains("//", StringComparison.Ordinal))
        {
            error = $"role '{role}' must not contain '//'";
        }
        else if (role.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            error = $"role '{role}' must not contain whitespace or control characters";
        }
        else
        {
            foreach (var component in role.Split('/'))
            {
                if (component is "." or ".." or "*")
                {
                    error = $"role '{role}' must not have a component '{component}'";
                    break;
                }

                if (component.StartsWith('-'))
                {
                    error = $"role '{role}' must not have a component starting with '-'";
                    break;
                }
            }
        }

        return error is null;
    }

    /// <summary>Whether <paramref name="role"/> sits strictly below <paramref name="ancestor"/> in the role tree (<c>eng/web</c> below <c>eng</c>).</summary>
    public static bool IsStrictSubroleOf(string role, string ancestor) =>
        ancestor != Default
        && role.Length > ancestor.Length + 1
        && role[ancestor.Length] == '/'
        && role.StartsWith(ancestor, StringComparison.Ordinal);
}
