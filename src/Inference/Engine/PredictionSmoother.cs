namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// Steadies a stream of top-K answers (the frames of one video or camera) with an exponential
/// moving average of each class's probability: <c>s = history * s + (1 - history) * p</c> per
/// answer, where <c>history</c> is the weight of the past (0: the answer as it is, off; 0.8: a
/// change takes about 10 answers to reach 90% of its new value). The first answer after
/// <see cref="Reset"/> is taken as it is, so a new stream does not start from nothing.
/// </summary>
/// <remarks>
/// The engine answers with the top K classes only, not all of them, so the average is over a
/// sparse set: the classes that have been in some answer's top K lately. A tracked class that is
/// not in this answer counts as probability 0 for it (its true value is somewhere between 0 and
/// the K-th's): a class that leaves the top K fades at the rate <c>history</c>, and the shown
/// values never add up to more than 1. A class is dropped once its average falls below
/// <see cref="Epsilon"/>, under what the overlay shows (0.1%), unless it is in this answer. The
/// set is bounded (<see cref="Capacity"/> classes, made once): when it is full a new class of this
/// answer takes the place of the smallest class not in it. Nothing is allocated per answer.
/// </remarks>
public sealed class PredictionSmoother
{
    /// <summary>A tracked class whose average falls below this (and is not in the answer) is dropped.</summary>
    public const double Epsilon = 1e-4;

    private readonly double _history;
    private readonly int[] _slotOfClass;
    private readonly int[] _classes;
    private readonly string[] _labels;
    private readonly double[] _values;
    private readonly long[] _seenAt;
    private readonly long[] _order;
    private readonly int[] _orderSlots;
    private readonly Prediction _output;
    private int _count;
    private long _answers;

    /// <param name="numClasses">The model's classes (the answers' indices are below it).</param>
    /// <param name="k">The answers' K.</param>
    /// <param name="history">The weight of the past, 0 (off) up to but not including 1.</param>
    public PredictionSmoother(int numClasses, int k, double history)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, numClasses);
        if (!(history is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(history), history, "the weight of the past is at least 0 and below 1");
        }

        _history = history;

        // Classes linger while they fade (with history 0.9, one at 50% lasts about 80 answers):
        // room for several answers' worth of new classes, and never more than the model has.
        Capacity = Math.Min(numClasses, Math.Max(64, 8 * k));
        _slotOfClass = new int[numClasses];
        Array.Fill(_slotOfClass, -1);
        _classes = new int[Capacity];
        _labels = new string[Capacity];
        _values = new double[Capacity];
        _seenAt = new long[Capacity];
        _order = new long[Capacity];
        _orderSlots = new int[Capacity];
        _output = Prediction.Create(k);
    }

    /// <summary>The weight of the past.</summary>
    public double History => _history;

    /// <summary>The most classes tracked at once.</summary>
    public int Capacity { get; }

    /// <summary>Classes tracked now.</summary>
    public int Tracked => _count;

    /// <summary>The average of a class now (0 when it is not tracked).</summary>
    public double Smoothed(int classIndex) =>
        (uint)classIndex < (uint)_slotOfClass.Length && _slotOfClass[classIndex] is >= 0 and var slot ? _values[slot] : 0;

    /// <summary>Forgets the past: the next answer is taken as it is (a new file, a reconnected camera).</summary>
    public void Reset()
    {
        for (var i = 0; i < _count; i++)
        {
            _slotOfClass[_classes[i]] = -1;
        }

        _count = 0;
        _answers = 0;
    }

    /// <summary>
    /// Takes the next answer and gives the smoothed top K: an answer this smoother owns, valid
    /// until the next call (copy what must outlive it). With history 0 it is <paramref name="raw"/> itself.
    /// </summary>
    public Prediction Update(Prediction raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.Count != _output.Count)
        {
            throw new ArgumentException($"an answer of {raw.Count} classes given to a smoother of {_output.Count}", nameof(raw));
        }

        if (_history == 0)
        {
            return raw;
        }

        var first = _answers == 0;
        var stamp = ++_answers;
        var keep = first ? 0 : _history;
        var take = first ? 1 : 1 - _history;
        for (var i = 0; i < _count; i++)
        {
            _values[i] *= keep;
        }

        var indices = raw.Indices;
        var probabilities = raw.Probabilities;
        var labels = raw.Labels;
        for (var rank = 0; rank < indices.Length; rank++)
        {
            var index = indices[rank];
            if ((uint)index >= (uint)_slotOfClass.Length)
            {
                throw new ArgumentException($"class {index} is outside the model's {_slotOfClass.Length}", nameof(raw));
            }

            var slot = _slotOfClass[index];
            if (slot < 0)
            {
                slot = _count < Capacity ? _count++ : Evict(SmallestNotSeenAt(stamp));
                _slotOfClass[index] = slot;
                _classes[slot] = index;
                _labels[slot] = labels[rank];
                _values[slot] = 0;
            }

            _values[slot] += take * probabilities[rank];
            _seenAt[slot] = stamp;
        }

        DropFaded(stamp);
        return Rank();
    }

    private void DropFaded(long stamp)
    {
        for (var i = _count - 1; i >= 0; i--)
        {
            if (_values[i] < Epsilon && _seenAt[i] != stamp)
            {
                Evict(i);
                _count--;
                if (i != _count)
                {
                    Move(_count, i);
                }
            }
        }
    }

    /// <summary>Frees a slot for reuse (the caller fills it or shrinks the set).</summary>
    private int Evict(int slot)
    {
        _slotOfClass[_classes[slot]] = -1;
        return slot;
    }

    private void Move(int from, int to)
    {
        _classes[to] = _classes[from];
        _labels[to] = _labels[from];
        _values[to] = _values[from];
        _seenAt[to] = _seenAt[from];
        _slotOfClass[_classes[to]] = to;
    }

    private int SmallestNotSeenAt(long stamp)
    {
        // Capacity >= K, and fewer than K classes of this answer are placed yet, so one exists.
        var smallest = -1;
        for (var i = 0; i < _count; i++)
        {
            if (_seenAt[i] != stamp && (smallest < 0 || _values[i] < _values[smallest]))
            {
                smallest = i;
            }
        }

        return smallest;
    }

    /// <summary>The tracked classes, highest average first (equal ones by class index), into the output.</summary>
    private Prediction Rank()
    {
        for (var i = 0; i < _count; i++)
        {
            // One sortable key: the float's bits (monotone for values >= 0) above the class index
            // turned around, negated so an ascending sort puts the highest first.
            var bits = BitConverter.SingleToInt32Bits((float)_values[i]);
            _order[i] = -(((long)bits << 32) | (uint)(int.MaxValue - _classes[i]));
            _orderSlots[i] = i;
        }

        _order.AsSpan(0, _count).Sort(_orderSlots.AsSpan(0, _count));
        for (var rank = 0; rank < _output.Count; rank++)
        {
            if (rank < _count)
            {
                var slot = _orderSlots[rank];
                _output.Set(rank, _classes[slot], _labels[slot], (float)_values[slot]);
            }
            else
            {
                // Only when an answer named a class twice: the rank stays empty.
                _output.Set(rank, 0, "", 0f);
            }
        }

        return _output;
    }
}
