using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>
/// A model path that names no regular file: /dev/zero was hashed for the model cache forever (100%
/// CPU, deaf to Ctrl-C), a FIFO blocked the open; a symlink to either passed for a file. Each is
/// refused before it is opened.
/// </summary>
public sealed class SpecialModelFileTests
{
    [SkippableTheory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/urandom")]
    [InlineData("/dev/null")]
    [InlineData("fifo")]
    [InlineData("link to /dev/zero")]
    [InlineData("link to fifo")]
    [InlineData("a shell's <(command)")]
    public void ModelThatIsNoRegularFile_RefusedWithOneLine(string model)
    {
        Skip.If(SpecialFiles.Unavailable is not null, SpecialFiles.Unavailable);
        using var dir = new TempDirectory();

        // What bash passes for <(command): /dev/fd/N, a link to "pipe:[inode]", which names no path.
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        var path = model switch
        {
            "a shell's <(command)" => $"/proc/self/fd/{pipe.SafePipeHandle.DangerousGetHandle()}",
            "fifo" => SpecialFiles.Fifo(dir.File("model.onnx")),
            // .NET gives a link's own size (here 9 bytes, "/dev/zero"), not its target's.
            "link to /dev/zero" => File.CreateSymbolicLink(dir.File("model.onnx"), "/dev/zero").FullName,
            "link to fifo" => File.CreateSymbolicLink(dir.File("model.onnx"), SpecialFiles.Fifo(dir.File("fifo"))).FullName,
            _ => model,
        };

        var e = SpecialFiles.Within(60, () => Assert.Throws<InferenceException>(
            () => ClassifierEngine.Open(path, new EngineOptions { Device = Devices.DeviceRequest.Cpu, OptimizedModelCache = dir.File("cache") })));

        Assert.Equal($"{path}: the file is empty, or not a regular file (a device, FIFO or socket); --model takes an ONNX model file written by alexnet-convert", e.Message);
    }
}
