using System.Runtime.InteropServices;
using Mesos.Agent.Containerizer;

namespace Mesos.Agent.Executor;

/// <summary>The passwd database (through libc, so NSS sources count) and the ownership calls switching user needs.</summary>
public static partial class UserAccounts
{
    public static bool AgentIsRoot => GetEffectiveUserId() == 0;

    /// <summary>The account named <paramref name="name"/>; null when the machine has none.</summary>
    public static TaskUser? Find(string name)
    {
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var entry = GetPasswordEntry(name);
        if (entry == IntPtr.Zero)
        {
            return null;
        }

        // struct passwd on LP64: char *pw_name, *pw_passwd; uid_t pw_uid; gid_t pw_gid; char *pw_gecos, *pw_dir, *pw_shell.
        var uid = Marshal.ReadInt32(entry, 2 * IntPtr.Size);
        var gid = Marshal.ReadInt32(entry, (2 * IntPtr.Size) + 4);
        var home = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(entry, (3 * IntPtr.Size) + 8));
        return new TaskUser(name, uid, gid, home);
    }

    /// <summary>Gives <paramref name="path"/> (not following symlinks) to the user, as Mesos chowns a sandbox.</summary>
    public static void Chown(string path, TaskUser user)
    {
        if (ChangeOwner(path, user.Uid, user.Gid) != 0)
        {
            throw new IOException($"chown {user.Name} '{path}' failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "getpwnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetPasswordEntry(string name);

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int ChangeOwner(string path, int uid, int gid);
}
