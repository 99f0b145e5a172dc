using System.Diagnostics;
using System.Globalization;
using CsCheck;

namespace AlexNet.Realtime.TestSupport;

/// <summary>
/// Runs a check over small damages (<see cref="Mutation"/>) to seed files. CI runs the same cases
/// every time (drawn once from a fixed seed), so a red run is a change in the code under test, not
/// a new find; <c>ALEXNET_RT_FUZZ=N</c> samples N fresh cases instead (CsCheck, on several
/// threads, shrinking what fails) to look for more. A case slower than 5 s, or a run that does not
/// end within minutes, fails: that is a reader looping or allocating without bound.
/// </summary>
public static class DamageRun
{
    private static readonly TimeSpan SlowCase = TimeSpan.FromSeconds(5);

    /// <summary>The number of fresh cases asked for, or null in CI.</summary>
    public static string? Exploring => Environment.GetEnvironmentVariable("ALEXNET_RT_FUZZ");

    /// <param name="check">Gets the seed and the damaged bytes; throws to fail the case. May run on several threads at once when exploring.</param>
    /// <exception cref="DamageRunException">A case failed (naming the seed and the damage), was slow, or the run hung.</exception>
    public static void Over((string Name, byte[] Bytes)[] seeds, string ciSeed, int ciCases, Action<(string Name, byte[] Bytes), byte[]> check)
    {
        var cases = Gen.Int[0, seeds.Length - 1].SelectMany(i => Mutation.For(seeds[i].Bytes.Length).Select(m => (Seed: seeds[i], Mutation: m)));
        void Check((string Name, byte[] Bytes) seed, Mutation mutation)
        {
            var clock = Stopwatch.StartNew();
            check(seed, mutation.Apply(seed.Bytes));
            if (clock.Elapsed > SlowCase)
            {
                throw new DamageRunException($"{clock.Elapsed.TotalSeconds:F1} s for one case");
            }
        }

        var run = Task.Run(() =>
        {
            if (Exploring is null)
            {
                foreach (var (seed, mutation) in cases.Array[ciCases].Single(_ => true, ciSeed))
                {
                    try
                    {
                        Check(seed, mutation);
                    }
                    catch (Exception e)
                    {
                        throw new DamageRunException($"{seed.Name} {mutation}: {e.GetType().Name}: {e.Message}");
                    }
                }
            }
            else
            {
                cases.Sample(c => Check(c.Seed, c.Mutation), iter: int.Parse(Exploring, CultureInfo.InvariantCulture), print: c => $"{c.Seed.Name} {c.Mutation}");
            }
        });

        // A check that never returns would hang the whole test run; fail it instead, saying why.
        if (!run.Wait(TimeSpan.FromMinutes(Exploring is null ? 3 : 60)))
        {
            throw new DamageRunException("a damaged input kept the code under test busy for minutes");
        }
    }
}

/// <summary>A damaged input that made the code under test fail its check.</summary>
public sealed class DamageRunException(string message) : Exception(message);
