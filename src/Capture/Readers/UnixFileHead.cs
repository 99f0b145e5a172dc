using System.Runtime.InteropServices;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// An image file's header read on Linux through libc, with no managed allocation: the image
/// reader checks every image of a folder before decoding it (<see cref="ImageFiles"/>) and keeps
/// its steady state free of allocations; a <see cref="FileStream"/> and a <see cref="FileInfo"/>
/// came to about 380 bytes an image. The file is opened non-blocking, so a FIFO does not block
/// the open, and its size is asked of lseek, which a FIFO or socket fails and a character
/// device answers with 0.
/// </summary>
internal static partial class UnixFileHead
{
    // Linux's values on x64 and arm64 alike (asm-generic): O_RDONLY, O_NONBLOCK, O_CLOEXEC; SEEK_END; errno.
    private const int OpenReadOnly = 0;
    private const int OpenNonBlocking = 0x800;
    private const int OpenCloseOnExec = 0x80000;
    private const int SeekEnd = 2;
    private const int NoSuchFile = 2;
    private const int PermissionDenied = 13;
    private const int IsADirectory = 21;

    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>Why <paramref name="path"/> can't be read as an image file, or null with the size its header declares (null where not read).</summary>
    public static string? Check(string path, out (long Width, long Height)? size)
    {
        size = null;
        var fd = Open(path, OpenReadOnly | OpenNonBlocking | OpenCloseOnExec);
        if (fd < 0)
        {
            return Marshal.GetLastPInvokeError() switch
            {
                NoSuchFile => "no such file",
                PermissionDenied => "cannot be read (permission denied)",
                var errno => $"cannot be opened (errno {errno})",
            };
        }

        try
        {
            var length = Seek(fd, 0, SeekEnd);
            if (length <= 0)
            {
                return LocalFile.NotRegular;
            }

            Span<byte> probe = stackalloc byte[1];
            if (ReadAt(fd, probe, 0) < 0)
            {
                return Marshal.GetLastPInvokeError() == IsADirectory ? "a directory, not a file" : "cannot be read";
            }

            size = ImageHeader.Read(new FileDescriptorBytes(fd, length));
            return null;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static unsafe nint ReadAt(int fd, Span<byte> buffer, long offset)
    {
        fixed (byte* bytes = buffer)
        {
            return PositionalRead(fd, bytes, buffer.Length, offset);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long Seek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static unsafe partial nint PositionalRead(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    private readonly struct FileDescriptorBytes(int fd, long length) : IFileBytes
    {
        public long Length => length;

        public int ReadAt(long offset, Span<byte> buffer) => (int)Math.Max(0, UnixFileHead.ReadAt(fd, buffer, offset));
    }
}
