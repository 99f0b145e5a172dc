using OpenCvSharp;
using OpenCvSharp.Internal;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// OpenCV calls from one fixed source <see cref="Mat"/> into pooled targets, allocating nothing
/// per frame: planar YUV 4:2:0 (I420, <c>height*3/2</c> rows of <c>width</c> bytes) to BGR with
/// the vectorized <c>cvtColor</c>, and a right-angle rotation.
/// </summary>
/// <remarks>
/// <c>Cv2.CvtColor</c> wraps its arguments in new <c>InputArray</c>/<c>OutputArray</c> objects on
/// every call (managed objects with finalizers, and it disposes the output one itself), so a
/// frame would allocate. Here the native proxies are made once: one for the source and one per
/// destination <see cref="Mat"/> (a frame pool has a fixed set), through OpenCvSharp's public
/// <see cref="NativeMethods"/>. A proxy refers to the Mat object, not its pixels, so it stays
/// valid when the Mat is reallocated. Owns the proxies, not the Mats.
/// </remarks>
internal sealed class SourceMatCalls : IDisposable
{
    private readonly Mat _source;
    private readonly List<(Mat Target, IntPtr Proxy)> _targets = [];
    private IntPtr _sourceProxy;
    private bool _disposed;

    /// <param name="source">The source, read at each call; the caller keeps it alive.</param>
    public SourceMatCalls(Mat source)
    {
        _source = source;
        NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(source.CvPtr, out _sourceProxy));
    }

    /// <summary>Fills <paramref name="target"/> with the I420 source's picture as 8-bit BGR (sized by OpenCV).</summary>
    public void I420ToBgr(Mat target)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var proxy = ProxyFor(target);
        NativeMethods.HandleException(NativeMethods.imgproc_cvtColor(_sourceProxy, proxy, (int)ColorConversionCodes.YUV2BGR_I420, 0));
        GC.KeepAlive(_source);
        GC.KeepAlive(target);
    }

    /// <summary>Fills <paramref name="target"/> with the source turned by a right angle (sized by OpenCV).</summary>
    public void Rotate(Mat target, RotateFlags rotation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var proxy = ProxyFor(target);
        NativeMethods.HandleException(NativeMethods.core_rotate(_sourceProxy, proxy, (int)rotation));
        GC.KeepAlive(_source);
        GC.KeepAlive(target);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var (_, proxy) in _targets)
        {
            NativeMethods.HandleException(NativeMethods.core_OutputArray_delete(proxy));
        }

        _targets.Clear();
        NativeMethods.HandleException(NativeMethods.core_InputArray_delete(_sourceProxy));
        _sourceProxy = IntPtr.Zero;
    }

    private IntPtr ProxyFor(Mat target)
    {
        foreach (var (known, proxy) in _targets)
        {
            if (ReferenceEquals(known, target))
            {
                return proxy;
            }
        }

        NativeMethods.HandleException(NativeMethods.core_OutputArray_new_byMat(target.CvPtr, out var created));
        _targets.Add((target, created));
        return created;
    }
}
