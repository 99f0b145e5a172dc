using OpenCvSharp;
using OpenCvSharp.Internal;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// Decodes an image file or an encoded buffer into a caller's <see cref="Mat"/> (a pooled frame)
/// with no managed allocation: <c>Cv2.ImRead</c> and <c>Cv2.ImDecode</c> make a new managed
/// <see cref="Mat"/>, with a finalizer, for every image. Here the decoded native Mat is copied
/// into the target and freed at once, through OpenCvSharp's public <see cref="NativeMethods"/>.
/// </summary>
internal static class NativeImage
{
    /// <summary>Reads <paramref name="path"/> as 8-bit BGR into <paramref name="target"/>; false when it can't be decoded.</summary>
    /// <exception cref="CaptureException">The file is no regular file, or its header declares more pixels than <see cref="ImageFiles"/> allows: not decoded.</exception>
    public static bool ReadInto(string path, Mat target)
    {
        ImageFiles.Check(path);
        NativeMethods.HandleException(NativeMethods.imgcodecs_imread(path, (int)ImreadModes.Color, out var decoded));
        return CopyAndFree(decoded, target);
    }

    /// <summary>Decodes <paramref name="encoded"/> (JPEG, PNG, ...) as 8-bit BGR into <paramref name="target"/>; false when it can't be decoded.</summary>
    public static unsafe bool DecodeInto(ReadOnlySpan<byte> encoded, Mat target)
    {
        if (encoded.IsEmpty)
        {
            // OpenCV asserts on an empty buffer (an exception, not an empty picture).
            return false;
        }

        if (ImageHeader.Read(encoded) is { } size && ImageFiles.OverLimit(size.Width, size.Height) is not null)
        {
            // Decoding would allocate the declared size first: a frame that claims too much is no frame.
            return false;
        }

        IntPtr decoded;
        fixed (byte* bytes = encoded)
        {
            NativeMethods.HandleException(NativeMethods.imgcodecs_imdecode_vector(bytes, encoded.Length, (int)ImreadModes.Color, out decoded));
        }

        return CopyAndFree(decoded, target);
    }

    private static bool CopyAndFree(IntPtr decoded, Mat target)
    {
        try
        {
            NativeMethods.HandleException(NativeMethods.core_Mat_empty(decoded, out var empty));
            if (empty != 0)
            {
                return false;
            }

            NativeMethods.HandleException(NativeMethods.core_Mat_copyTo_toMat1(decoded, target.CvPtr));
            GC.KeepAlive(target);
            return true;
        }
        finally
        {
            NativeMethods.HandleException(NativeMethods.core_Mat_delete(decoded));
        }
    }
}
