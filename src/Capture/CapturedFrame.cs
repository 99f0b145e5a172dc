using OpenCvSharp;

namespace AlexNet.Realtime.Capture;

/// <summary>
/// A pooled frame buffer and what is known about the picture in it. Owned by its source's pool:
/// a consumer reads it between taking it and giving it back, and never disposes it.
/// </summary>
public sealed class CapturedFrame : IDisposable
{
    private IFrameMemory? _memory;
    private IntPtr _block;
    private long _blockBytes;

    internal CapturedFrame()
    {
        Image = new Mat();
    }

    /// <summary>8-bit BGR pixels; the buffer is reused for later frames.</summary>
    public Mat Image { get; private set; }

    /// <summary>Position in the source's sequence of frames read (0, 1, 2, ...), counting dropped ones.</summary>
    public long Sequence { get; internal set; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp taken when the read of this frame began.</summary>
    public long ReadStartTimestamp { get; internal set; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp taken when the frame was read.</summary>
    public long CaptureTimestamp { get; internal set; }

    /// <summary>The source's own time of the frame in ms (video position; capture time for cameras).</summary>
    public double SourceTimeMs { get; internal set; }

    /// <summary>Which file of an image list or video the frame came from (the source's text for cameras and streams).</summary>
    public string Origin { get; internal set; } = "";

    /// <summary>The frame's index within its file (0 for images).</summary>
    public long FrameInOrigin { get; internal set; }

    /// <summary>
    /// Moves the picture into a block of <paramref name="memory"/> unless it is in this frame's
    /// block already. Readers decode into the frame's Mat, and OpenCV keeps a Mat's memory when the
    /// size and type stay the same, so after the first frame of a size this only compares a pointer
    /// (one native call);
    /// a reader that gave the Mat new memory (another size) gets one copy into the block, or into a
    /// new one when the picture has outgrown it.
    /// </summary>
    internal void KeepIn(IFrameMemory memory)
    {
        // The steady state, one native call: a Mat still over this frame's block is the Mat made
        // over it (OpenCV gives a Mat new memory whenever its size or type changes, and the block
        // stays allocated while this frame holds it), so its picture fits the block.
        var image = Image;
        if (_block != IntPtr.Zero && image.Data == _block)
        {
            return;
        }

        if (image.Empty())
        {
            return;
        }

        var bytes = (long)image.Rows * image.Cols * image.ElemSize();

        // A picture that fits the block it left (a smaller one) goes back into it: page-locked
        // blocks are slow to get (milliseconds), so a folder of photos of mixed sizes only grows them.
        var reuse = _block != IntPtr.Zero && bytes <= _blockBytes && ReferenceEquals(memory, _memory);
        var block = reuse ? _block : memory.Allocate(bytes);
        Mat moved;
        try
        {
            moved = Mat.FromPixelData(image.Rows, image.Cols, image.Type(), block);
            image.CopyTo(moved);
        }
        catch
        {
            if (!reuse)
            {
                memory.Free(block);
            }

            throw;
        }

        image.Dispose();
        Image = moved;
        if (!reuse)
        {
            FreeBlock();
            (_memory, _block, _blockBytes) = (memory, block, bytes);
        }
    }

    public void Dispose()
    {
        // The Mat over the block goes first: it does not own the block.
        Image.Dispose();
        FreeBlock();
    }

    private void FreeBlock()
    {
        if (_block != IntPtr.Zero)
        {
            _memory!.Free(_block);
            (_memory, _block, _blockBytes) = (null, IntPtr.Zero, 0);
        }
    }
}
