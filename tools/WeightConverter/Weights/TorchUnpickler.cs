using System.Collections;
using System.Numerics;
using Razorvine.Pickle;

namespace AlexNet.Realtime.WeightConverter.Weights;

/// <summary>
/// Razorvine.Pickle's unpickler restricted to what a state_dict needs, like
/// <c>torch.load(weights_only=True)</c>: every global the pickle names is checked against
/// <see cref="Allowlist"/> by <see cref="PickleScanner"/> before unpickling starts, and the
/// allowed ones map to constructors here that only build data. Nothing from the file runs.
/// </summary>
internal sealed class TorchUnpickler : Unpickler
{
    /// <summary>The only globals a checkpoint may name.</summary>
    public static readonly IReadOnlySet<string> Allowlist = new HashSet<string>(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
    }.Union(TorchDtypes.ByStorageClass.Keys).ToHashSet(StringComparer.Ordinal);

    private static readonly Lock RegistrationLock = new();
    private static bool s_registered;

    private readonly Func<object[], object> _persistentLoad;

    public TorchUnpickler(Func<object[], object> persistentLoad)
    {
        _persistentLoad = persistentLoad;
        RegisterConstructors();
    }

    /// <summary>Scans and then unpickles one pickle; refuses any global not on the allowlist.</summary>
    /// <param name="globals">The pickle's globals when the caller has scanned it already.</param>
    public static object LoadChecked(ReadOnlyMemory<byte> pickle, string what, Func<object[], object> persistentLoad, IReadOnlyList<string>? globals = null)
    {
        EnsureAllowed(globals ?? PickleScanner.Scan(pickle.Span, 0, what).Globals, what);
        using var unpickler = new TorchUnpickler(persistentLoad);
        try
        {
            // Razorvine's loads(ReadOnlyMemory) reads an array-backed slice from the array's start,
            // ignoring the slice's offset; hand it an array of exactly this pickle.
            return unpickler.loads(pickle.ToArray()) ?? throw new ConversionException($"{what}: the pickle holds nothing (None)");
        }
        catch (Exception e) when (e is not ConversionException and not OutOfMemoryException)
        {
            // Razorvine's unpickler trusts its input's structure: on a damaged pickle it fails with
            // whatever the broken opcode leads to (PickleException, FormatException, InvalidCast,
            // IndexOutOfRange, KeyNotFound for a memo miss, ...); each means the same to a user.
            // Our own persistent-load and constructors throw ConversionException, passed on as is.
            throw new ConversionException($"{what}: not a valid checkpoint pickle ({e.Message})", e);
        }
    }

    public static void EnsureAllowed(IEnumerable<string> globals, string what)
    {
        foreach (var g in globals)
        {
            if (!Allowlist.Contains(g))
            {
                // A whole pickled model (torch.save(model)) names its classes: say how to get weights from it.
                var wholeModel = g.StartsWith("torchvision.", StringComparison.Ordinal) || g.StartsWith("torch.nn.", StringComparison.Ordinal)
                                 || g.StartsWith("__main__.", StringComparison.Ordinal);
                throw new ConversionException(
                    $"{what}: refused to load global '{g}': a weights file may only name tensors and their storages " +
                    "(as torch.load(weights_only=True)); nothing from the file was run" +
                    (wholeModel ? "; this looks like a whole pickled model: save its weights with torch.save(model.state_dict(), path)" : ""));
            }
        }
    }

    protected override object persistentLoad(object pid) =>
        pid is object[] tuple
            ? _persistentLoad(tuple)
            : throw new PickleException($"unexpected persistent id {pid}");

    // Razorvine keeps constructors in one process-wide table; ours only build data, so
    // registering them once for the whole process is safe.
    private static void RegisterConstructors()
    {
        lock (RegistrationLock)
        {
            if (s_registered)
            {
                return;
            }

            registerConstructor("collections", "OrderedDict", new OrderedDictConstructor());
            registerConstructor("torch._utils", "_rebuild_tensor", new RebuildTensorConstructor());
            registerConstructor("torch._utils", "_rebuild_tensor_v2", new RebuildTensorConstructor());
            registerConstructor("torch._utils", "_rebuild_parameter", new RebuildParameterConstructor());
            registerConstructor("torch._utils", "_rebuild_parameter_with_state", new RebuildParameterConstructor());
            foreach (var (global, dtype) in TorchDtypes.ByStorageClass)
            {
                var dot = global.LastIndexOf('.');
                registerConstructor(global[..dot], global[(dot + 1)..], new StorageClass(dtype));
            }

            s_registered = true;
        }
    }

    internal static long ToInt64(object? value, string what) => value switch
    {
        int i => i,
        long l => l,
        BigInteger b when b >= long.MinValue && b <= long.MaxValue => (long)b,
        _ => throw new ConversionException($"not a valid checkpoint: {what} should be an integer, found {value?.GetType().Name ?? "None"}"),
    };

    internal static long[] ToInt64Array(object? value, string what) => value is object[] items
        ? items.Select(v => ToInt64(v, what)).ToArray()
        : throw new ConversionException($"not a valid checkpoint: {what} should be a tuple of integers, found {value?.GetType().Name ?? "None"}");

    /// <summary>A <c>torch.*Storage</c> class as it appears inside a persistent id.</summary>
    internal sealed class StorageClass(TorchDtype dtype) : IObjectConstructor
    {
        public TorchDtype Dtype { get; } = dtype;

        public object construct(object[] args) => throw new PickleException("storage classes are not constructed directly");
    }

    /// <summary>Python's OrderedDict: a Hashtable (what Razorvine's SETITEMS fills) that remembers order.</summary>
    internal sealed class PickledOrderedDict : Hashtable
    {
        private readonly List<object> _order = [];

        public IReadOnlyList<object> OrderedKeys => _order;

        public override object? this[object key]
        {
            get => base[key];
            set
            {
                if (!ContainsKey(key))
                {
                    _order.Add(key);
                }

                base[key] = value;
            }
        }

        public override void Add(object key, object? value)
        {
            base.Add(key, value);
            _order.Add(key);
        }

        /// <summary>BUILD on an OrderedDict sets instance attributes (a state_dict's <c>_metadata</c>); they are not weights.</summary>
        public void __setstate__(Hashtable state) => Attributes = state;

        /// <summary>Instance attributes set by BUILD (kept, never interpreted).</summary>
        public Hashtable? Attributes { get; private set; }
    }

    private sealed class OrderedDictConstructor : IObjectConstructor
    {
        public object construct(object[] args) => args.Length == 0
            ? new PickledOrderedDict()
            : throw new PickleException("OrderedDict with constructor arguments is not a state_dict");
    }

    private sealed class RebuildTensorConstructor : IObjectConstructor
    {
        public object construct(object[] args)
        {
            if (args.Length < 4 || args[0] is not TorchStorage storage)
            {
                throw new PickleException("_rebuild_tensor_v2 called without a storage, offset, size and stride");
            }

            var size = ToInt64Array(args[2], "tensor size");
            var stride = ToInt64Array(args[3], "tensor stride");
            if (size.Length != stride.Length)
            {
                throw new PickleException($"tensor size has {size.Length} dimensions, stride {stride.Length}");
            }

            return new TorchTensorRef(storage, ToInt64(args[1], "storage offset"), size, stride);
        }
    }

    private sealed class RebuildParameterConstructor : IObjectConstructor
    {
        public object construct(object[] args) => args.Length >= 1 && args[0] is TorchTensorRef t
            ? t
            : throw new PickleException("_rebuild_parameter called without a tensor");
    }
}
