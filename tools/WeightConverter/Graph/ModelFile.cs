using System.Security.Cryptography;
using AlexNet.Realtime.Inference.Onnx;
using Google.Protobuf;

namespace AlexNet.Realtime.WeightConverter.Graph;

/// <summary>Reads and writes ONNX files; a write goes to a temporary file that is renamed when complete.</summary>
public static class ModelFile
{
    public static void Write(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new ConversionException($"{path}: is a directory; give a file name for the model");
        }

        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");

        // Ctrl-C and SIGTERM end the process without running finally blocks: remove the partial
        // file first (the write then goes on into the unlinked file until the process ends).
        // SIGKILL can't be caught: it leaves the temporary file, named for the process.
        // Where a caller keeps the process alive on the signal (it cancels instead), the write fails
        // on the missing file: that is the cancellation, said as such.
        var interrupted = false;
        ConsoleCancelEventHandler onCancel = (_, _) =>
        {
            interrupted = true;
            TryDelete(temp);
        };
        Console.CancelKeyPress += onCancel;
        using var onTerminate = OperatingSystem.IsWindows() ? null : System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, _ =>
            {
                interrupted = true;
                TryDelete(temp);
            });
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                model.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (Volatile.Read(ref interrupted))
            {
                throw new OperationCanceledException($"{path}: the write was interrupted; nothing was written", e);
            }

            throw new ConversionException($"{path}: cannot write the model ({e.Message})", e);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            TryDelete(temp);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // best effort: the file may be gone already
        }
    }

    public static ModelProto Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);

        // Never opened unless a regular file: a FIFO would block the open, a device never end.
        if (Inference.InputFiles.NotARegularFile(path) is { } problem)
        {
            throw new ConversionException($"{path}: {problem}");
        }

        try
        {
            using var stream = File.OpenRead(path);
            if (stream.Length == 0)
            {
                throw new ConversionException($"{path}: the file is empty");
            }

            var model = ModelProto.Parser.ParseFrom(stream);
            return model.Graph is null || model.Graph.Node.Count == 0
                ? throw new ConversionException($"{path}: not an ONNX model (no graph)")
                : model;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ConversionException($"{path}: not an ONNX model ({e.Message})", e);
        }
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
