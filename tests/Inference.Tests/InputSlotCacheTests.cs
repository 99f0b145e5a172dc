using AlexNet.Realtime.Inference.Engine;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>The engine's LRU of input slots: a buffer that comes back finds its slot; a new one evicts the least recently used.</summary>
public sealed class InputSlotCacheTests
{
    [Fact]
    public void BufferThatComesBack_FindsItsSlot_OtherBufferOrShapeDoesNot()
    {
        using var cache = new InputSlotCache();
        var slot = Add(cache, data: 1);
        Assert.True(cache.TryFind(1, 1, 48, 64, out var found));
        Assert.Same(slot, found);
        Assert.False(cache.TryFind(2, 1, 48, 64, out _));
        Assert.False(cache.TryFind(1, 2, 48, 64, out _));
        Assert.False(cache.TryFind(1, 1, 64, 48, out _));
    }

    [Fact]
    public void FullCache_NewSlotEvictsTheLeastRecentlyUsedOnly()
    {
        using var cache = new InputSlotCache();
        var slots = Enumerable.Range(1, InputSlotCache.Capacity).Select(i => Add(cache, data: i)).ToArray();

        // The first is used again: the second is now the least recently used.
        Assert.True(cache.TryFind(1, 1, 48, 64, out _));
        Add(cache, data: 100);

        Assert.True(slots[1].Disposed);
        Assert.Equal(1, slots.Count(s => s.Disposed));
        Assert.True(cache.TryFind(1, 1, 48, 64, out _));
        Assert.False(cache.TryFind(2, 1, 48, 64, out _));
        Assert.True(cache.TryFind(100, 1, 48, 64, out _));
    }

    [Fact]
    public void DroppedBuffer_ItsSlotsDisposed_ThePlaceTakenBeforeAnyEviction()
    {
        using var cache = new InputSlotCache();
        var slots = Enumerable.Range(1, InputSlotCache.Capacity).Select(i => Add(cache, data: i)).ToArray();
        cache.DropBoundTo(5);
        Assert.True(slots[4].Disposed);

        Add(cache, data: 100);
        Assert.Equal(1, slots.Count(s => s.Disposed));
        Assert.False(cache.TryFind(5, 1, 48, 64, out _));
    }

    [Fact]
    public void Clear_DisposesEverySlot()
    {
        var cache = new InputSlotCache();
        var slots = Enumerable.Range(1, 3).Select(i => Add(cache, data: i)).ToArray();
        cache.Dispose();
        Assert.All(slots, s => Assert.True(s.Disposed));
        Assert.False(cache.TryFind(1, 1, 48, 64, out _));
    }

    private static FakeSlot Add(InputSlotCache cache, int data)
    {
        var place = cache.Evict();
        return (FakeSlot)cache.Put(place, new FakeSlot(data));
    }

    /// <summary>A slot over no session: its buffer is a number, its shape 1x48x64.</summary>
    private sealed class FakeSlot(int data) : InputSlot(1, 48, 64, new OutputSet(1, 5))
    {
        public bool Disposed { get; private set; }

        public override IntPtr Data => data;

        public override bool Matches(IntPtr data, int batch, int rows, int cols) => Data == data && HasShape(batch, rows, cols);

        public override void Dispose() => Disposed = true;
    }
}
