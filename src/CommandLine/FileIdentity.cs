using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AlexNet.Realtime.CommandLine;

/// <summary>
/// Which file a path or an open handle is, whatever name reaches it: the device and inode (Unix),
/// the volume serial number and file index (Windows). Two names are one file when their identities
/// are equal: a symlink, a hard link or a path through a symlinked folder all give the target's.
/// Paths alone can't tell (an output named <c>out.jsonl</c> may be a hard link to the input video).
/// </summary>
/// <remarks>
/// Linux reads it with <c>statx</c> (one layout on every architecture), Windows with
/// <c>GetFileInformationByHandle</c>. Elsewhere (macOS) it is unknown, null, and callers fall back
/// to comparing the paths with their links resolved.
/// </remarks>
public readonly partial record struct FileIdentity(ulong Device, ulong Index)
{
    /// <summary>The identity of the file <paramref name="path"/> names, links followed; null when there is none or it can't be told.</summary>
    /// <remarks>Nothing is opened on Unix: a FIFO given as an input would block an open.</remarks>
    public static FileIdentity? Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsLinux())
        {
            return Statx(AtFdCwd, path, 0);
        }

        if (OperatingSystem.IsWindows())
        {
            try
            {
                // .NET refuses an open without access rights, so read access, sharing everything: a
                // file another process holds open without sharing then has no identity (null).
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                return Of(handle);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The identity of the file an open handle is; null when it can't be told.</summary>
    public static FileIdentity? Of(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (OperatingSystem.IsLinux())
        {
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                return Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath);
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        if (OperatingSystem.IsWindows())
        {
            return GetFileInformationByHandle(handle, out var info)
                ? new FileIdentity(info.VolumeSerialNumber, ((ulong)info.FileIndexHigh << 32) | info.FileIndexLow)
                : null;
        }

        return null;
    }

    /// <summary>
    /// The same file: equal identities where both are known, else equal paths once the links
    /// along each are resolved (a file that does not exist yet is no other file).
    /// </summary>
    public static bool Same(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (OutputCheck.PathComparer.Equals(Path.GetFullPath(a), Path.GetFullPath(b)))
        {
            return true;
        }

        if (Of(a) is { } x && Of(b) is { } y)
        {
            return x == y;
        }

        return OutputCheck.PathComparer.Equals(Resolved(a), Resolved(b));
    }

    /// <summary>The full path with every symbolic link along it resolved, as far as the file exists.</summary>
    public static string Resolved(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var target = File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
            var folder = Path.GetDirectoryName(target);
            if (folder is null)
            {
                return target;
            }

            var resolvedFolder = Directory.Exists(folder) ? Resolved(folder) : folder;
            return Path.Join(resolvedFolder, Path.GetFileName(target));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return full;
        }
    }

    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxIno = 0x100;

    private static unsafe FileIdentity? Statx(int directory, string path, int flags)
    {
        // struct statx is 256 bytes: stx_ino at 32, stx_dev_major and stx_dev_minor at 136 and 140.
        var buffer = stackalloc byte[256];
        try
        {
            if (statx(directory, path, flags, StatxIno, buffer) != 0)
            {
                return null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // A C library older than glibc 2.28.
            return null;
        }

        var device = ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140);
        return new FileIdentity(device, *(ulong*)(buffer + 32));
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string pathname, int flags, uint mask, byte* statxbuf);

    [StructLayout(LayoutKind.Sequential)]
    private struct ByHandleFileInformation
    {
        // FILETIMEs are pairs of DWORDs, aligned as DWORDs: no padding anywhere.
        public uint FileAttributes;
        public uint CreationTimeLow;
        public uint CreationTimeHigh;
        public uint LastAccessTimeLow;
        public uint LastAccessTimeHigh;
        public uint LastWriteTimeLow;
        public uint LastWriteTimeHigh;
        public uint VolumeSerialNumber;
        public uint FileSizeHigh;
        public uint FileSizeLow;
        public uint NumberOfLinks;
        public uint FileIndexHigh;
        public uint FileIndexLow;
    }

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetFileInformationByHandle(SafeFileHandle file, out ByHandleFileInformation information);
}
