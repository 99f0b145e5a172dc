using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Onnx;
using AlexNet.Realtime.Inference.Preprocessing;
using Google.Protobuf;

namespace AlexNet.Realtime.Inference.Devices;

/// <summary>
/// A model file whose contract names a crop_levels tensor, and its network alone from there (made
/// when first asked for, at most once: a cached session never needs it).
/// </summary>
internal sealed class NetworkModel
{
    private readonly string _modelPath;
    private readonly string _tensor;
    private readonly int _crop;
    private byte[]? _bytes;
    private bool _made;

    private NetworkModel(string modelPath, string tensor, int crop) => (_modelPath, _tensor, _crop) = (modelPath, tensor, crop);

    /// <summary>
    /// The serialized network graph; null where the model can't be read or cut (the caller then
    /// loads the whole model, which reports a model that can't be read).
    /// </summary>
    public byte[]? Bytes
    {
        get
        {
            if (!_made)
            {
                _made = true;
                _bytes = Make();
            }

            return _bytes;
        }
    }

    /// <summary>The model's contract read from its metadata alone (not its graph); null where it can't be read (reported when the whole model is opened).</summary>
    public static ModelContract? ContractOf(string modelPath)
    {
        try
        {
            return ModelContract.FromMetadata(NetworkGraph.ReadMetadata(modelPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidProtocolBufferException or ModelContractException)
        {
            return null;
        }
    }

    /// <summary>The model's network for the engine to feed crop_levels to; null where its contract (from <see cref="ContractOf"/>) names no such tensor.</summary>
    public static NetworkModel? For(string modelPath, ModelContract? contract) =>
        contract?.CropLevels is { } tensor ? new NetworkModel(modelPath, tensor, contract.CropSize) : null;

    private byte[]? Make()
    {
        try
        {
            ModelProto model;
            using (var stream = new FileStream(_modelPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
            {
                model = ModelProto.Parser.ParseFrom(stream);
            }

            var bytes = NetworkGraph.From(model, _tensor, _crop)?.ToByteArray();

            // The parsed model (244 MB for the full-size one) is garbage from here, and ONNX Runtime
            // is about to make its own copy and optimize it: collected now, once at a start that
            // finds no cached network, so that its memory is not held through that peak.
            model = null!;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
