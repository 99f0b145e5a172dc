using System.Runtime.Intrinsics.X86;

namespace AlexNet.Realtime.Inference.Preprocessing;

/// <summary>Frame rows asked for ahead of the pass that reads them.</summary>
/// <remarks>
/// In the engine the frame is never in the cache (ONNX Runtime has streamed 244 MB of weights since
/// the last one), and each row's window is a new stream to the hardware prefetcher, which starts
/// too late to hide the first misses of each row (measured in bench/README.md).
/// </remarks>
internal static unsafe class FrameRows
{
    /// <summary>Rows [<paramref name="from"/>, <paramref name="to"/>) from <paramref name="first"/>, <paramref name="bytes"/> of each.</summary>
    public static void Prefetch(byte* first, long rowBytes, int from, int to, int bytes)
    {
        if (!Sse.IsSupported || bytes <= 0)
        {
            return;
        }

        for (var r = from; r < to; r++)
        {
            var start = first + (r * rowBytes);
            for (var j = 0; j < bytes; j += 64)
            {
                Sse.Prefetch0(start + j);
            }

            Sse.Prefetch0(start + bytes - 1);
        }
    }
}
