using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Engine;
using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Inference.Devices;

/// <summary>A session on a device, and the device's name for the overlay and reports.</summary>
/// <param name="NetworkOnly">
/// The session runs the model's network alone, from its crop_levels tensor (see
/// <c>NetworkGraph</c>): the engine resizes and crops frames itself.
/// </param>
internal sealed record OpenedSession(InferenceSession Session, DeviceKind Kind, string Description, bool NetworkOnly = false);

/// <summary>
/// Creates ONNX Runtime sessions for a device request. A device named explicitly that can't be
/// had is an error; only <c>auto</c> falls back, and says why.
/// </summary>
internal static class SessionFactory
{
    /// <param name="staticShape">For DirectML: the batch, height and width to fix the free dimensions to.</param>
    public static OpenedSession Open(string modelPath, EngineOptions options, DeviceRequest request, (int Batch, int Height, int Width)? staticShape, Action<string>? notice)
    {
        switch (request.Kind)
        {
            case DeviceKind.Cpu:
                return Cpu(modelPath, options, notice);
            case DeviceKind.DirectML:
                return DirectML(modelPath, options, request.Index, staticShape);
            case DeviceKind.Cuda:
                return Cuda(modelPath, options, request.Index);
        }

        switch (DeviceRequest.AutoFirstChoice())
        {
            case DeviceKind.DirectML:
                try
                {
                    return DirectML(modelPath, options, 0, staticShape);
                }
                catch (InferenceException e)
                {
                    notice?.Invoke($"device auto: DirectML unavailable ({e.Message}); using the CPU");
                    return Cpu(modelPath, options, notice);
                }

            case DeviceKind.Cuda:
                try
                {
                    return Cuda(modelPath, options, 0);
                }
                catch (InferenceException e)
                {
                    notice?.Invoke($"device auto: CUDA unavailable ({e.Message}); using the CPU");
                    return Cpu(modelPath, options, notice);
                }
        }

        notice?.Invoke($"device auto: this build has no GPU provider ({BuildFlavor.Package}); using the CPU");
        return Cpu(modelPath, options, notice);
    }

    private static OpenedSession Cpu(string modelPath, EngineOptions options, Action<string>? notice)
    {
        var contract = NetworkModel.ContractOf(modelPath);
        var integer = HasIntegerWeights(contract);
        var description = $"CPU ({options.IntraOpThreads} thread{(options.IntraOpThreads == 1 ? "" : "s")})";
        if (options.HostPreprocessing && options.Transfer is null && Preprocessing.CropGeometry.Fast && NetworkModel.For(modelPath, contract) is { } network)
        {
            if (options.OptimizedModelCache is { } networkFolder && FromCache(modelPath, options, integer, new OptimizedModelCache(networkFolder), notice, network) is { } cachedNetwork)
            {
                return new OpenedSession(cachedNetwork, DeviceKind.Cpu, description, NetworkOnly: true);
            }

            // A network graph ONNX Runtime refuses is the cut's fault, not the model's: the whole graph is loaded instead.
            if (network.Bytes is { } bytes && TryLoad(bytes, BaseOptions(options, integer)) is { } networkSession)
            {
                return new OpenedSession(networkSession, DeviceKind.Cpu, description, NetworkOnly: true);
            }
        }

        if (options.OptimizedModelCache is { } folder && FromCache(modelPath, options, integer, new OptimizedModelCache(folder), notice, network: null) is { } cached)
        {
            return new OpenedSession(cached, DeviceKind.Cpu, description);
        }

        return new OpenedSession(Load(modelPath, BaseOptions(options, integer), "cpu"), DeviceKind.Cpu, description);
    }

    /// <summary>
    /// The session from the cached optimized graph, or from the model while ONNX Runtime writes
    /// that graph to the cache; null where the cache can't help, and the caller loads the model
    /// itself (which also reports a model that can't be read).
    /// </summary>
    /// <param name="network">The model's network alone, kept as its own entry; null: the whole model.</param>
    private static InferenceSession? FromCache(string modelPath, EngineOptions options, bool integer, OptimizedModelCache cache, Action<string>? notice, NetworkModel? network)
    {
        string entry;
        try
        {
            entry = cache.EntryFor(modelPath, network is null ? null : OptimizedModelCache.NetworkVariant);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // Only an entry found intact is loaded: one that is damaged (or kept before checksums were,
        // or not a regular file) is rebuilt below, as a missing one, and where it can't be removed
        // it is still never opened (a FIFO would block ONNX Runtime's open).
        var intact = File.Exists(entry) && OptimizedModelCache.IsIntact(entry);
        if (!intact)
        {
            OptimizedModelCache.TryDelete(entry);
        }

        if (intact)
        {
            using var so = BaseOptions(options, integer);
            so.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL;
            try
            {
                var cached = new InferenceSession(entry, so);
                OptimizedModelCache.MarkUsed(entry);
                return cached;
            }
            catch (OnnxRuntimeException)
            {
                // A damaged entry: replaced below.
                OptimizedModelCache.TryDelete(entry);
            }
        }

        string temporary;
        try
        {
            temporary = cache.NewTemporary();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            notice?.Invoke($"can't keep the optimized model in {cache.Directory} ({ErrorText.FirstLine(e.Message)}), so every start optimizes it again; {OptimizedModelCache.EnvironmentVariable}=off stops trying, or names another folder");
            return null;
        }

        // Said after the session is made, not before: a model that can't be loaded gets its one error line only.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        InferenceSession session;
        using (var so = BaseOptions(options, integer))
        {
            so.OptimizedModelFilePath = temporary;
            try
            {
                if (network is null)
                {
                    session = new InferenceSession(modelPath, so);
                }
                else if (network.Bytes is { } bytes)
                {
                    session = new InferenceSession(bytes, so);
                }
                else
                {
                    OptimizedModelCache.TryDelete(temporary);
                    return null;
                }
            }
            catch (OnnxRuntimeException)
            {
                OptimizedModelCache.TryDelete(temporary);
                return null;
            }
        }

        try
        {
            cache.Commit(temporary, entry);
            notice?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"optimized {Path.GetFileName(modelPath)} for this CPU in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s; kept in {cache.Directory}, so later starts skip it"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            OptimizedModelCache.TryDelete(temporary);
        }

        return session;
    }

    private static OpenedSession DirectML(string modelPath, EngineOptions options, int index, (int Batch, int Height, int Width)? staticShape)
    {
        if (!OperatingSystem.IsWindows() || !BuildFlavor.HasDirectML)
        {
            throw new InferenceException(
                $"dml:{index}: DirectML is only in Windows builds (package Microsoft.ML.OnnxRuntime.DirectML); this build is {RuntimeDescription()} with {BuildFlavor.Package}; use --device cpu" +
                (OrtEnv.Instance().GetAvailableProviders().Contains(ExecutionProviders.Cuda) ? " or cuda" : ""));
        }

        var so = BaseOptions(options);

        // DirectML wants one static graph: no memory pattern, sequential execution, and every
        // free dimension fixed to the real frame size.
        so.EnableMemoryPattern = false;
        so.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
        if (staticShape is { } shape)
        {
            so.AddFreeDimensionOverrideByName("batch", shape.Batch);
            so.AddFreeDimensionOverrideByName("height", shape.Height);
            so.AddFreeDimensionOverrideByName("width", shape.Width);
        }

        try
        {
            so.AppendExecutionProvider_DML(index);
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            so.Dispose();
            throw new InferenceException($"dml:{index}: ONNX Runtime could not start DirectML ({ErrorText.FirstLine(e.Message)})", e);
        }

        return new OpenedSession(Load(modelPath, so, $"dml:{index}"), DeviceKind.DirectML, $"DirectML:{index}");
    }

    private static OpenedSession Cuda(string modelPath, EngineOptions options, int index)
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(ExecutionProviders.Cuda))
        {
            throw new InferenceException(
                $"cuda:{index}: this build has no CUDA provider (it links {BuildFlavor.Package}); build with 'dotnet build -p:Gpu=cuda' on Linux, or use --device cpu");
        }

        var so = BaseOptions(options);
        using var cuda = new OrtCUDAProviderOptions();
        try
        {
            cuda.UpdateOptions(new Dictionary<string, string>
            {
                ["device_id"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["cudnn_conv_algo_search"] = "HEURISTIC",
                ["do_copy_in_default_stream"] = "1",
                ["enable_cuda_graph"] = options.CudaGraph ? "1" : "0",
                ["use_tf32"] = options.CudaTf32 ? "1" : "0",
            });
            so.AppendExecutionProvider_CUDA(cuda);
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            so.Dispose();
            throw new InferenceException($"cuda:{index}: ONNX Runtime could not start CUDA ({SessionProblems.CudaProblem(e.Message)})", e);
        }

        return new OpenedSession(Load(modelPath, so, $"cuda:{index}"), DeviceKind.Cuda, $"CUDA:{index}");
    }

    /// <summary>
    /// An int8 model (its contract's precision): ONNX Runtime's integer kernels (QLinearConv,
    /// QGemm) pack their weights when the session starts, and with prepacking off they pack them
    /// again at every run, which made int8 slower than fp32. Prepacking is on for them whatever
    /// <see cref="EngineOptions.PrepackWeights"/> says.
    /// </summary>
    internal static bool HasIntegerWeights(ModelContract? contract) =>
        contract?.Precision.StartsWith("int8", StringComparison.Ordinal) == true;

    /// <param name="integerWeights">The model is int8: its weights are prepacked whatever the options say (see <see cref="HasIntegerWeights"/>).</param>
    private static SessionOptions BaseOptions(EngineOptions options, bool integerWeights = false)
    {
        var so = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        options.Spinning.ApplyTo(so);
        so.AddSessionConfigEntry("session.disable_prepacking", options.PrepackWeights || integerWeights ? "0" : "1");
        so.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        return so;
    }

    private static InferenceSession? TryLoad(byte[] model, SessionOptions so)
    {
        try
        {
            return new InferenceSession(model, so);
        }
        catch (OnnxRuntimeException)
        {
            return null;
        }
        finally
        {
            so.Dispose();
        }
    }

    private static InferenceSession Load(string modelPath, SessionOptions so, string device)
    {
        try
        {
            return new InferenceSession(modelPath, so);
        }
        catch (OnnxRuntimeException e)
        {
            var deviceAtFault = device != "cpu" && SessionProblems.LoadsWithoutDevice(modelPath);
            throw new InferenceException(SessionProblems.LoadProblem(Path.GetFileName(modelPath), device, e.Message, deviceAtFault), e);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            throw new InferenceException($"{Path.GetFileName(modelPath)}: the execution provider's native library is missing ({ErrorText.FirstLine(e.Message)})", e);
        }
        finally
        {
            so.Dispose();
        }
    }

    private static string RuntimeDescription() => OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "macOS" : "Linux";
}
