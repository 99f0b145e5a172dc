using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace AlexNet.Realtime.Inference.Devices;

/// <summary>One NVIDIA GPU as the driver reports it.</summary>
/// <param name="Index">The number <c>--device cuda:N</c> takes.</param>
public sealed record CudaDevice(int Index, string Name, long TotalMemoryBytes, int ComputeMajor, int ComputeMinor)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"cuda:{Index} {Name} ({TotalMemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB, compute capability {ComputeMajor}.{ComputeMinor})");
}

/// <summary>
/// The NVIDIA GPUs behind ONNX Runtime's CUDA provider, for <c>alexnet-rt devices</c>: ONNX
/// Runtime's device list (<c>GetEpDevices</c>) names only its plugin providers, and CUDA's is not
/// one, so the driver is asked directly.
/// </summary>
/// <remarks>
/// Why by hand: six driver calls (<c>libcuda.so.1</c>, present wherever the NVIDIA driver is),
/// plain integers and a name, no structs; the CUDA bindings served here are whole toolkits.
/// </remarks>
public static partial class CudaDevices
{
    private const string Driver = "libcuda.so.1";
    private const int ComputeCapabilityMajor = 75;
    private const int ComputeCapabilityMinor = 76;

    /// <summary>The GPUs the driver sees, or why there are none (no driver, no device, a driver error).</summary>
    public static (IReadOnlyList<CudaDevice> Devices, string? Problem) List()
    {
        if (!OperatingSystem.IsLinux())
        {
            return ([], "the CUDA build is for Linux");
        }

        try
        {
            var status = cuInit(0);
            if (status != 0)
            {
                return ([], $"the NVIDIA driver did not start (CUDA driver error {status})");
            }

            if (cuDeviceGetCount(out var count) != 0 || count == 0)
            {
                return ([], "the NVIDIA driver sees no GPU");
            }

            var devices = new List<CudaDevice>(count);
            for (var i = 0; i < count; i++)
            {
                if (cuDeviceGet(out var device, i) != 0)
                {
                    continue;
                }

                var name = new byte[256];
                _ = cuDeviceGetName(name, name.Length, device);
                _ = cuDeviceTotalMem_v2(out var bytes, device);
                _ = cuDeviceGetAttribute(out var major, ComputeCapabilityMajor, device);
                _ = cuDeviceGetAttribute(out var minor, ComputeCapabilityMinor, device);
                var length = Array.IndexOf(name, (byte)0);
                devices.Add(new CudaDevice(i, Encoding.UTF8.GetString(name, 0, length < 0 ? name.Length : length), (long)bytes, major, minor));
            }

            return (devices, devices.Count == 0 ? "the NVIDIA driver lists GPUs but gives none of them" : null);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return ([], $"no NVIDIA driver ({Driver} not found)");
        }
    }

    [LibraryImport(Driver)]
    private static partial int cuInit(uint flags);

    [LibraryImport(Driver)]
    private static partial int cuDeviceGetCount(out int count);

    [LibraryImport(Driver)]
    private static partial int cuDeviceGet(out int device, int ordinal);

    [LibraryImport(Driver)]
    private static partial int cuDeviceGetName([Out] byte[] name, int length, int device);

    [LibraryImport(Driver)]
    private static partial int cuDeviceTotalMem_v2(out nuint bytes, int device);

    [LibraryImport(Driver)]
    private static partial int cuDeviceGetAttribute(out int value, int attribute, int device);
}
