using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>Lanes: engines over one CPU session that classify at the same time.</summary>
[Collection("Models")]
public sealed class LaneTests(TestModels models)
{
    [Fact]
    public async Task LaneAndOwnerAtOnce_EachGetsItsOwnFramesAnswers()
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = DeviceRequest.Cpu, IntraOpThreads = 1, MaxBatch = 4 });
        using var lane = engine.OpenLane();
        string[] photos = ["astronaut", "coffee", "chelsea", "rocket"];
        var frames = photos.Select(p => Cv2.ImRead(Fixtures.Image(p + ".png"), ImreadModes.Color)).ToArray();
        try
        {
            // Alone, one at a time: what each frame's answer is.
            var expected = frames.Select(f => Answer(engine.Classify(f))).ToArray();
            Assert.True(expected.Distinct().Count() == photos.Length, "each photo should get its own answer, or a swap would go unseen");

            // Two threads, each classifying its own pair of frames over and over on its own engine.
            var owner = Task.Run(() => Repeat(engine, frames[0], frames[1]));
            var other = Task.Run(() => Repeat(lane, frames[2], frames[3]));
            Assert.Equal([expected[0], expected[1]], await owner);
            Assert.Equal([expected[2], expected[3]], await other);
        }
        finally
        {
            Array.ForEach(frames, f => f.Dispose());
        }

        static string[] Repeat(ClassifierEngine engine, Mat a, Mat b)
        {
            string[] last = [];
            for (var i = 0; i < 20; i++)
            {
                var answers = engine.ClassifyBatch([a, b]);
                last = [Answer(answers[0]), Answer(answers[1])];
            }

            return last;
        }

        // Classes and probabilities to the last bit: the synthetic model gives the photos one top class.
        static string Answer(Prediction p) =>
            string.Join(' ', Enumerable.Range(0, p.Count).Select(k => $"{p.Indices[k]}:{BitConverter.SingleToInt32Bits(p.Probabilities[k]):x8}"));
    }

    [Fact]
    public void OwnerDisposed_LaneIsDisposedWithIt()
    {
        var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = DeviceRequest.Cpu, IntraOpThreads = 1 });
        var lane = engine.OpenLane();
        using var frame = new Mat(48, 64, MatType.CV_8UC3, Scalar.All(90));
        Assert.Equal(engine.Classify(frame).Indices[0], lane.Classify(frame).Indices[0]);
        engine.Dispose();
        Assert.Throws<ObjectDisposedException>(() => lane.Classify(frame));
        lane.Dispose();
    }

    [Fact]
    public void LaneDisposed_OwnerGoesOn()
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = DeviceRequest.Cpu, IntraOpThreads = 1 });
        using var frame = new Mat(48, 64, MatType.CV_8UC3, Scalar.All(90));
        var before = engine.Classify(frame).Indices[0];
        for (var i = 0; i < 3; i++)
        {
            engine.OpenLane().Dispose();
        }

        Assert.Equal(0, engine.OpenLanes);
        Assert.Equal(before, engine.Classify(frame).Indices[0]);
        using var lane = engine.OpenLane();
        Assert.Equal(1, engine.OpenLanes);
        Assert.Equal(before, lane.Classify(frame).Indices[0]);
    }

    /// <summary>Lanes hold the session, not the engine they were opened from: a lane's lane belongs to the model's opener too.</summary>
    [Fact]
    public void LaneOfALane_CountedAndDisposedWithTheOpener()
    {
        var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = DeviceRequest.Cpu, IntraOpThreads = 1 });
        var lane = engine.OpenLane();
        var laneOfLane = lane.OpenLane();
        using var frame = new Mat(48, 64, MatType.CV_8UC3, Scalar.All(90));
        Assert.Equal(2, engine.OpenLanes);
        Assert.Equal(engine.Classify(frame).Indices[0], laneOfLane.Classify(frame).Indices[0]);

        lane.Dispose();
        Assert.Equal(1, engine.OpenLanes);
        Assert.Equal(engine.Classify(frame).Indices[0], laneOfLane.Classify(frame).Indices[0]);

        engine.Dispose();
        Assert.Throws<ObjectDisposedException>(() => laneOfLane.Classify(frame));
        laneOfLane.Dispose();
    }

    [Fact]
    public void OwnerCancelled_LaneStopsToo()
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = DeviceRequest.Cpu, IntraOpThreads = 1 });
        using var lane = engine.OpenLane();
        using var frame = new Mat(48, 64, MatType.CV_8UC3, Scalar.All(90));
        engine.Cancel();
        Assert.Throws<OperationCanceledException>(() => lane.Classify(frame));
    }
}
