using System.Globalization;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.Overlay.Profiling;
using AlexNet.Realtime.Overlay.Rendering;
using OpenCvSharp;

namespace AlexNet.Realtime.Overlay;

/// <summary>
/// Draws the top-K labels with probability bars, FPS, per-stage p50/p99, drops, device, model and
/// its precision, and banners for synthetic weights and for a model forced below its agreement
/// threshold, scaled to the frame (legible from 640x480 to 1920x1080).
/// Text is formatted into a buffer owned here and blitted from a glyph atlas made once per scale,
/// so a frame allocates nothing.
/// </summary>
public sealed class OverlayRenderer
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly char[] _text = new char[256];
    private GlyphAtlas? _large;
    private GlyphAtlas? _small;
    private int _atlasRows;

    public void Draw(Mat frame, Prediction? prediction, OverlayState state)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(state);
        var rows = frame.Rows;
        var cols = frame.Cols;
        EnsureAtlases(rows);
        var large = _large!;
        var small = _small!;
        var scale = rows / 480.0;
        var pad = Math.Max(4, (int)(8 * scale));

        // Top-K panel, top left.
        var panelWidth = Math.Min(cols - (2 * pad), (int)(300 * scale));
        var lineHeight = large.Height + (int)(4 * scale);
        var k = prediction?.Count ?? 0;

        // The answer is highest first: the labels shown are the leading ones at the threshold.
        var shown = 0;
        while (shown < k && prediction![shown].Probability >= state.Threshold)
        {
            shown++;
        }

        var rowHeight = lineHeight + small.Height + (int)(4 * scale);
        var footer = state.Smoothing > 0 || state.Threshold > 0;
        var footerHeight = footer ? small.Height + (int)(4 * scale) : 0;
        var panelHeight = pad + (shown > 0 ? shown * rowHeight : lineHeight) + footerHeight + pad;
        if (k > 0)
        {
            Canvas.FillRect(frame, new Rect(pad, pad, panelWidth, panelHeight), Bgr.Black, 0.55f);
            var y = pad * 2;
            for (var i = 0; i < shown; i++)
            {
                var entry = prediction![i];
                var percent = Format(this, $"{entry.Probability * 100:0.0}%");
                var textWidth = panelWidth - (3 * pad) - small.Measure(percent);
                Canvas.DrawText(frame, large, entry.Label, pad * 2, y, i == 0 ? Bgr.White : Bgr.Grey, textWidth);
                y += lineHeight;
                var barMax = panelWidth - (3 * pad) - small.Measure(percent);
                var barHeight = Math.Max(3, small.Height / 2);
                Canvas.FillRect(frame, new Rect(pad * 2, y + (small.Height - barHeight) / 2, barMax, barHeight), Bgr.Grey, 0.25f);
                Canvas.FillRect(frame, new Rect(pad * 2, y + (small.Height - barHeight) / 2, (int)(barMax * Math.Clamp(entry.Probability, 0f, 1f)), barHeight), i == 0 ? Bgr.Green : Bgr.Blue, 0.9f);
                Canvas.DrawText(frame, small, percent, (pad * 2) + barMax + pad / 2, y, Bgr.White);
                y += small.Height + (int)(4 * scale);
            }

            if (shown == 0)
            {
                // Said, not left blank: an empty panel would look like a stalled loop.
                Canvas.DrawText(frame, large, Format(this, $"no label reaches {state.Threshold * 100:0.#}%"), pad * 2, y, Bgr.Grey, panelWidth - (3 * pad));
                y += lineHeight;
            }

            if (footer)
            {
                // What the numbers are: averaged over frames, and cut at the threshold.
                var note = state.Smoothing > 0 && state.Threshold > 0 ? Format(this, $"smoothed {state.Smoothing:0.0#}, from {state.Threshold * 100:0.#}%")
                    : state.Smoothing > 0 ? Format(this, $"smoothed {state.Smoothing:0.0#}")
                    : Format(this, $"shown from {state.Threshold * 100:0.#}%");
                Canvas.DrawText(frame, small, note, pad * 2, y, Bgr.Amber, panelWidth - (3 * pad));
            }
        }

        DrawStatusPanel(frame, state, small, large, pad, scale, cols);

        // Banners along the bottom, stacked upwards: what makes the labels untrustworthy first.
        var bottom = rows;
        if (state.SyntheticWeights)
        {
            bottom = DrawBanner(frame, small, "SYNTHETIC WEIGHTS: the labels are meaningless", bottom, pad, Bgr.Red, Bgr.White);
        }

        if (state.PrecisionWarning is { } forced)
        {
            bottom = DrawBanner(frame, small, forced, bottom, pad, Bgr.Red, Bgr.White);
        }

        if (state.Problem is { } problem)
        {
            DrawBanner(frame, small, problem, bottom, pad, Bgr.Amber, Bgr.Black);
        }
    }

    /// <summary>Marks a frame as paused: a "PAUSED" badge in the middle of the picture.</summary>
    public void DrawPaused(Mat frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        EnsureAtlases(frame.Rows);
        var large = _large!;
        var text = "PAUSED  (space resumes)".AsSpan();
        var pad = Math.Max(4, frame.Rows / 60);
        var width = Math.Min(frame.Cols, large.Measure(text) + (2 * pad));
        var height = large.Height + (2 * pad);
        var left = (frame.Cols - width) / 2;
        var top = (frame.Rows - height) / 2;
        Canvas.FillRect(frame, new Rect(left, top, width, height), Bgr.Black, 0.7f);
        Canvas.DrawText(frame, large, text, left + pad, top + pad, Bgr.Amber, width - (2 * pad));
    }

    private void DrawStatusPanel(Mat frame, OverlayState state, GlyphAtlas small, GlyphAtlas large, int pad, double scale, int cols)
    {
        var width = (int)(250 * scale);
        var left = cols - width - pad;
        var line = small.Height + (int)(2 * scale);
        var lines = 1 + (state.ShowTiming ? Stages.All.Length + 5 : 0);
        var height = large.Height + (lines * line) + (2 * pad);
        Canvas.FillRect(frame, new Rect(left, pad, width, height), Bgr.Black, 0.55f);
        var x = left + pad;
        var y = pad * 2;
        var fps = Format(this, $"{state.FramesPerSecond:0.0} FPS{(state.Paused ? "  (paused)" : "")}");
        Canvas.DrawText(frame, large, fps, x, y, Bgr.Green, width - (2 * pad));
        y += large.Height + (int)(2 * scale);
        var header = Format(this, $"frame {state.Frame}, dropped {state.Dropped}");
        Canvas.DrawText(frame, small, header, x, y, Bgr.White, width - (2 * pad));
        y += line;
        if (!state.ShowTiming)
        {
            return;
        }

        Canvas.DrawText(frame, small, "ms         p50    p99", x, y, Bgr.Grey, width - (2 * pad));
        y += line;
        foreach (var stage in Stages.All)
        {
            var stats = state[stage];
            var row = Format(this, $"{StageLabel(stage),-10}{stats.P50,6:0.0} {stats.P99,6:0.0}");
            Canvas.DrawText(frame, small, row, x, y, Bgr.White, width - (2 * pad));
            y += line;
        }

        var gc = Format(this, $"GC pause {state.GcPauseMs:0.0} ms");
        Canvas.DrawText(frame, small, gc, x, y, Bgr.Grey, width - (2 * pad));
        y += line;
        Canvas.DrawText(frame, small, state.Device, x, y, Bgr.Grey, width - (2 * pad));
        y += line;
        // The precision before the name, so a long name can't push it out of the panel.
        var modelX = x;
        if (state.Precision.Length > 0)
        {
            modelX = Canvas.DrawText(frame, small, state.Precision, x, y, Bgr.Amber, width - (2 * pad)) + small.Measure(" ");
        }

        Canvas.DrawText(frame, small, state.Model, modelX, y, Bgr.Grey, Math.Max(0, width - (2 * pad) - (modelX - x)));
        y += line;
        Canvas.DrawText(frame, small, state.Source, x, y, Bgr.Grey, width - (2 * pad));
    }

    /// <summary>A full-width band whose bottom is at <paramref name="bottom"/>; returns its top, where the next goes.</summary>
    private static int DrawBanner(Mat frame, GlyphAtlas small, ReadOnlySpan<char> text, int bottom, int pad, Bgr fill, Bgr ink)
    {
        var height = small.Height + (2 * pad);
        var top = bottom - height;
        Canvas.FillRect(frame, new Rect(0, top, frame.Cols, height), fill, 0.75f);
        Canvas.DrawText(frame, small, text, pad, top + pad, ink, frame.Cols - (2 * pad));
        return top - (pad / 2);
    }

    private static string StageLabel(Stage stage) => stage == Stage.EndToEnd ? "end2end" : stage.Name();

    private static ReadOnlySpan<char> Format(OverlayRenderer owner, [System.Runtime.CompilerServices.InterpolatedStringHandlerArgument("owner")] ref TextHandler handler)
    {
        _ = owner;
        return handler.Result();
    }

    private void EnsureAtlases(int rows)
    {
        var bucket = Math.Max(240, rows / 60 * 60);
        if (_large is not null && bucket == _atlasRows)
        {
            return;
        }

        var scale = bucket / 480.0;
        _large = new GlyphAtlas(0.55 * scale, Math.Max(1, (int)Math.Round(1.2 * scale)));
        _small = new GlyphAtlas(0.42 * scale, Math.Max(1, (int)Math.Round(scale)));
        _atlasRows = bucket;
    }

    /// <summary>Formats an interpolated string into the renderer's buffer (no allocation).</summary>
    [System.Runtime.CompilerServices.InterpolatedStringHandler]
    private ref struct TextHandler
    {
        private readonly Span<char> _buffer;
        private int _length;

        public TextHandler(int literalLength, int formattedCount, OverlayRenderer owner)
        {
            _ = literalLength;
            _ = formattedCount;
            _buffer = owner._text;
            _length = 0;
        }

        public void AppendLiteral(string value) => Append(value);

        public void AppendFormatted(string? value) => Append(value);

        public void AppendFormatted(string? value, int alignment) => AppendAligned(value, alignment);

        public void AppendFormatted<T>(T value, string? format = null)
            where T : ISpanFormattable
        {
            if (value.TryFormat(_buffer[_length..], out var written, format, Invariant))
            {
                _length += written;
            }
        }

        public void AppendFormatted<T>(T value, int alignment, string? format = null)
            where T : ISpanFormattable
        {
            Span<char> scratch = stackalloc char[32];
            if (value.TryFormat(scratch, out var written, format, Invariant))
            {
                AppendAligned(scratch[..written], alignment);
            }
        }

        public readonly ReadOnlySpan<char> Result() => _buffer[.._length];

        private void AppendAligned(scoped ReadOnlySpan<char> value, int alignment)
        {
            var width = Math.Abs(alignment);
            var padding = Math.Max(0, width - value.Length);
            if (alignment > 0)
            {
                Pad(padding);
            }

            Append(value);
            if (alignment < 0)
            {
                Pad(padding);
            }
        }

        private void Pad(int count)
        {
            for (var i = 0; i < count && _length < _buffer.Length; i++)
            {
                _buffer[_length++] = ' ';
            }
        }

        private void Append(scoped ReadOnlySpan<char> value)
        {
            var count = Math.Min(value.Length, _buffer.Length - _length);
            value[..count].CopyTo(_buffer[_length..]);
            _length += count;
        }
    }
}
