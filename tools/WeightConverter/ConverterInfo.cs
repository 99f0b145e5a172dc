using System.Reflection;

namespace AlexNet.Realtime.WeightConverter;

/// <summary>The converter's identity, recorded in every model it writes.</summary>
public static class ConverterInfo
{
    public static string Version { get; } =
        typeof(ConverterInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
