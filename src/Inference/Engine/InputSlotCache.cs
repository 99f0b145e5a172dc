using System.Diagnostics.CodeAnalysis;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// The most recently used <see cref="InputSlot"/>s, at most <see cref="Capacity"/>: a frame buffer
/// and shape that comes back finds its slot bound already (binding allocates; finding does not),
/// and a new one takes the place of the least recently used.
/// </summary>
/// <remarks>Owns its slots: an evicted or dropped slot is disposed. One thread uses it at a time.</remarks>
internal sealed class InputSlotCache : IDisposable
{
    /// <summary>Enough for a capture pool's few buffers in turn, a batch buffer, and a size change or two.</summary>
    public const int Capacity = 8;

    private readonly InputSlot?[] _slots = new InputSlot?[Capacity];
    private readonly long[] _lastUsed = new long[Capacity];
    private long _clock;

    /// <summary>The slot for frames at <paramref name="data"/> of this shape, marked as just used; false where there is none.</summary>
    public bool TryFind(IntPtr data, int batch, int rows, int cols, [NotNullWhen(true)] out InputSlot? slot)
    {
        _clock++;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] is { } candidate && candidate.Matches(data, batch, rows, cols))
            {
                _lastUsed[i] = _clock;
                slot = candidate;
                return true;
            }
        }

        slot = null;
        return false;
    }

    /// <summary>
    /// Empties a place for a new slot (the first empty one, else the least recently used, whose
    /// slot is disposed) and returns it. Emptied before the new slot is made: a slot that fails to
    /// be made leaves no disposed one behind.
    /// </summary>
    public int Evict()
    {
        var place = 0;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] is null)
            {
                return i;
            }

            if (_lastUsed[i] < _lastUsed[place])
            {
                place = i;
            }
        }

        _slots[place]!.Dispose();
        _slots[place] = null;
        return place;
    }

    /// <summary>Puts a new slot in a place from <see cref="Evict"/>, as just used.</summary>
    public InputSlot Put(int place, InputSlot slot)
    {
        _slots[place] = slot;
        _lastUsed[place] = _clock;
        return slot;
    }

    /// <summary>Disposes the slots bound over <paramref name="data"/>, which is about to be freed.</summary>
    public void DropBoundTo(IntPtr data)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] is { } slot && slot.Data == data)
            {
                slot.Dispose();
                _slots[i] = null;
            }
        }
    }

    /// <summary>Disposes every slot (their session is going, or being replaced).</summary>
    public void Clear()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i]?.Dispose();
            _slots[i] = null;
        }
    }

    public void Dispose() => Clear();
}
