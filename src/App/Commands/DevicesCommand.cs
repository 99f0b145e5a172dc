using System.CommandLine;
using System.Runtime.InteropServices;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Capture.Readers;
using AlexNet.Realtime.Inference.Devices;
using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.App.Commands;

/// <summary><c>alexnet-rt devices</c>: what this build can run on.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo?>("--model", "-m")
        {
            Description = $"Also say this model's precision and its measured agreement with fp32 (default {ModelLocator.DefaultPath}, where it is).",
        };
        var command = new Command("devices", "List the execution providers this build has and the devices behind them.") { model };
        command.SetAction(parse => AppErrors.Guard(() =>
        {
            if (NativeRuntimes.OnnxRuntimeProblem is { } noRuntime)
            {
                throw new AppException(noRuntime);
            }

            var env = OrtEnv.Instance();
            var providers = env.GetAvailableProviders();

            // First, so a --model that can't be read fails before anything is printed.
            var modelLine = DevicesModelLine.For(parse.GetValue(model), providers.Contains(ExecutionProviders.Cuda) && CudaDevices.List().Problem is null);
            Console.Out.WriteLine($"build:     {BuildFlavor.Package}, ONNX Runtime {env.GetVersionString()}, {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}");
            Console.Out.WriteLine($"providers: {string.Join(", ", providers)}");
            Console.Out.WriteLine("devices:");
            foreach (var device in env.GetEpDevices())
            {
                var hw = device.HardwareDevice;
                Console.Out.WriteLine($"  {device.EpName,-24} {hw.Type,-4} {hw.Vendor} (vendor 0x{hw.VendorId:x4}, device 0x{hw.DeviceId:x4})");
            }

            Console.Out.WriteLine("--device:");
            Console.Out.WriteLine($"  cpu       yes ({Environment.ProcessorCount} logical cores; default threads {Inference.Engine.EngineOptions.DefaultThreads})");
            Console.Out.WriteLine(OperatingSystem.IsWindows() && BuildFlavor.HasDirectML
                ? "  dml[:N]   yes (DirectML)"
                : "  dml[:N]   no: DirectML is in Windows builds only (Microsoft.ML.OnnxRuntime.DirectML)");
            Console.Out.WriteLine(providers.Contains(ExecutionProviders.Cuda)
                ? CudaLine()
                : "  cuda[:N]  no: build with 'dotnet build -p:Gpu=cuda' (Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0)");
            Console.Out.WriteLine($"  auto      {AutoChoice()}");
            Console.Out.WriteLine("--decoder (video files):");
            Console.Out.WriteLine(LibavVideoReader.Available
                ? $"  libav     yes (the system's libraries in this process: {DecoderVersion.Of(VideoDecoder.Libav)})"
                : $"  libav     no: {LibavVideoReader.Unavailable}");
            Console.Out.WriteLine(NativeRuntimes.OpenCvProblem is { } noOpenCv
                ? $"  opencv    no: {noOpenCv}"
                : "  opencv    yes (the FFmpeg inside OpenCV's runtime)");
            Console.Out.WriteLine(FfmpegVideoReader.Installed
                ? $"  ffmpeg    yes (the ffmpeg program, {FfmpegVideoReader.ProgramVersion})"
                : "  ffmpeg    no: needs the ffmpeg program, 5.1 or later, on the PATH");
            Console.Out.WriteLine($"  auto      {CaptureOptions.Resolve(VideoDecoder.Auto).ToString().ToLowerInvariant()}");
            Console.Out.WriteLine($"model cache (cpu): {CacheLine()}");
            Console.Out.WriteLine(modelLine);
            return AppErrors.Ok;
        }, needsNativeRuntimes: false));
        return command;
    }

    private static string CacheLine()
    {
        if (OptimizedModelCache.DefaultDirectory() is not { } folder)
        {
            return $"off ({OptimizedModelCache.EnvironmentVariable})";
        }

        var cache = new OptimizedModelCache(folder);
        try
        {
            var (entries, bytes) = cache.Usage();
            return $"{cache.Directory} ({entries} of at most {OptimizedModelCache.MaxEntries} models, {bytes / (1024.0 * 1024.0):0} MB; {OptimizedModelCache.EnvironmentVariable}=off turns it off)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{cache.Directory} (can't be read: {Inference.ErrorText.FirstLine(e.Message)})";
        }
    }

    /// <summary>A CUDA build's line: the GPUs the driver sees, or why none answers.</summary>
    private static string CudaLine()
    {
        var (gpus, problem) = CudaDevices.List();
        return problem is not null
            ? $"  cuda[:N]  in this build, but no GPU answers: {problem} (it needs an NVIDIA GPU, CUDA 13 and cuDNN 9)"
            : "  cuda[:N]  yes: " + string.Join("; ", gpus) + " (CUDA 13 and cuDNN 9 are loaded when a session starts)";
    }

    /// <summary>What <c>auto</c> comes to here; for CUDA the driver is asked, as the <c>cuda</c> line asks it.</summary>
    private static string AutoChoice() => DeviceRequest.AutoFirstChoice() switch
    {
        Inference.Devices.DeviceKind.DirectML => "dml, else cpu",
        Inference.Devices.DeviceKind.Cuda => CudaDevices.List() is { Problem: null, Devices.Count: > 0 }
            ? "cuda:0, else cpu with the reason (a session also needs CUDA 13 and cuDNN 9)"
            : "cpu (no GPU answers the CUDA build)",
        _ => "cpu",
    };
}
