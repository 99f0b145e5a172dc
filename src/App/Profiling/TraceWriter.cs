using System.Diagnostics;
using System.Text.Json;
using AlexNet.Realtime.Overlay.Profiling;

namespace AlexNet.Realtime.App.Profiling;

/// <summary>
/// Chrome trace-event JSON (opens in Perfetto and chrome://tracing): one complete ("X") slice per
/// stage per frame, the frame loop's stages on its thread's track, each frame's read on the
/// capture thread's track, and end-to-end latency on a track of its own (it spans both).
/// </summary>
internal static class TraceWriter
{
    private const int Pid = 1;
    private const int LoopTid = 1;
    private const int CaptureTid = 2;
    private const int EndToEndTid = 3;

    public static void Write(string path, FrameProfiler profiler)
    {
        // Made in memory and written by OutputFile: a new temporary name, flushed, checked, renamed.
        var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("displayTimeUnit", "ms");
            json.WriteStartArray("traceEvents");
            ThreadName(json, LoopTid, "frame loop");
            ThreadName(json, CaptureTid, "capture");
            ThreadName(json, EndToEndTid, "end to end");
            var origin = profiler.RecordedFrameStarts.Length > 0 ? profiler.RecordedFrameStarts[0] : 0;
            var captureStarts = profiler.RecordedCaptureStarts;
            var captureEnds = profiler.RecordedCaptureEnds;
            for (var frame = 0; frame < profiler.RecordedFrames; frame++)
            {
                foreach (var stage in new[] { Stage.CaptureWait, Stage.Inference, Stage.Overlay, Stage.Present })
                {
                    Slice(json, stage.Name(), LoopTid, frame, Micros(origin, profiler.RecordedStarts(stage)[frame]), profiler.Recorded(stage)[frame] * 1000);
                }

                var endToEndStart = captureEnds[frame];
                Slice(json, Stage.EndToEnd.Name(), EndToEndTid, frame, Micros(origin, endToEndStart), profiler.Recorded(Stage.EndToEnd)[frame] * 1000);
                if (captureStarts[frame] != 0)
                {
                    Slice(json, "read", CaptureTid, frame, Micros(origin, captureStarts[frame]), Stopwatch.GetElapsedTime(captureStarts[frame], captureEnds[frame]).TotalMicroseconds);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        Output.OutputFile.Write(path, stream.GetBuffer().AsSpan(0, (int)stream.Length), "--trace");
    }

    private static double Micros(long origin, long timestamp) =>
        timestamp == 0 ? 0 : (timestamp - origin) * 1_000_000.0 / Stopwatch.Frequency;

    private static void ThreadName(Utf8JsonWriter json, int tid, string name)
    {
        json.WriteStartObject();
        json.WriteString("name", "thread_name");
        json.WriteString("ph", "M");
        json.WriteNumber("pid", Pid);
        json.WriteNumber("tid", tid);
        json.WriteStartObject("args");
        json.WriteString("name", name);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Slice(Utf8JsonWriter json, string name, int tid, int frame, double tsMicros, double durationMicros)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("cat", "frame");
        json.WriteString("ph", "X");
        json.WriteNumber("pid", Pid);
        json.WriteNumber("tid", tid);
        json.WriteNumber("ts", Math.Round(tsMicros, 3));
        json.WriteNumber("dur", Math.Round(Math.Max(0, durationMicros), 3));
        json.WriteStartObject("args");
        json.WriteNumber("frame", frame);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
