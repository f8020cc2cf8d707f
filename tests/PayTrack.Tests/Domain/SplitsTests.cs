using FsCheck;
using FsCheck.Fluent;
using PayTrack.Domain;
using PayTrack.Domain.Groups;

namespace PayTrack.Tests.Domain;

public sealed class SplitsTests
{
    private static readonly Gen<Guid> AnyId = Gen.Fresh(Guid.NewGuid);
    private static readonly Gen<long> AnyTotal = Gen.OneOf(Gen.Choose(0, 1000).Select(i => (long)i), Gen.Choose(0, int.MaxValue).Select(i => (long)i * 7919 + i % 13));
    /// <summary>1–12 parts with distinct ids and weights from 0 upwards, at least one positive.</summary>
    private static readonly Gen<(Guid, long)[]> AnyWeights =
        from n in Gen.Choose(1, 12)
        from ws in Gen.ArrayOf(Gen.OneOf(Gen.Choose(0, 10).Select(i => (long)i), Gen.Choose(1, int.MaxValue).Select(i => (long)i)), n)
        from ids in Gen.ArrayOf(AnyId, n)
        where ws.Any(w => w > 0)
        select ids.Zip(ws).ToArray();

    private static Arbitrary<(long Total, (Guid UserId, long Weight)[] Weights)> Cases =>
        (from t in AnyTotal from w in AnyWeights select (t, w)).ToArbitrary();

    [Fact]
    public void Allocate_SumsExactlyToTheTotal()
    {
        Prop.ForAll(Cases, c => Splits.Allocate(c.Total, c.Weights).Sum(s => s.Minor).ShouldBe(c.Total))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Allocate_EachShareIsWithinOneUnitOfItsExactValue()
    {
        Prop.ForAll(Cases, c =>
        {
            var shares = Splits.Allocate(c.Total, c.Weights).ToDictionary(s => s.UserId, s => s.Minor);
            var sum = c.Weights.Aggregate(System.Numerics.BigInteger.Zero, (a, w) => a + w.Weight);
            foreach (var (id, w) in c.Weights)
            {
                // |share − total·w/sum| < 1  ⇔  |share·sum − total·w| < sum, in exact integers.
                var diff = System.Numerics.BigInteger.Abs(shares[id] * sum - (System.Numerics.BigInteger)c.Total * w);
                (diff < sum).ShouldBeTrue($"share {shares[id]} of {c.Total} by weight {w}/{sum}");
                shares[id].ShouldBeGreaterThanOrEqualTo(0);
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Allocate_IsDeterministicAndIgnoresTheOrderOfTheParts()
    {
        Prop.ForAll(Cases, Gen.Choose(0, int.MaxValue).ToArbitrary(), (c, seed) =>
        {
            var first = Splits.Allocate(c.Total, c.Weights);
            Splits.Allocate(c.Total, c.Weights).ShouldBe(first);
            var shuffled = c.Weights.OrderBy(_ => new Random(seed).Next()).ToArray();
            var rng = new Random(seed);
            shuffled = c.Weights.Select(w => (w, k: rng.Next())).OrderBy(x => x.k).Select(x => x.w).ToArray();
            Splits.Allocate(c.Total, shuffled).ShouldBe(first);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void EqualSplit_IsTheSameAsSharesWithEqualWeights()
    {
        var usd = Currency.Get("USD");
        Prop.ForAll(AnyTotal.Where(t => t > 0).ToArbitrary(), Gen.ArrayOf(AnyId, Gen.Choose(1, 12).Sample(1)[0]).Where(a => a.Length > 0).ToArbitrary(),
            Gen.Choose(1, 1000).ToArbitrary(), (total, ids, weight) =>
        {
            var money = new Money(total, usd);
            Splits.TryAllocate(money, "equal", ids.Select(i => new SplitPart(i, null)).ToList(), out var equal, out var e1).ShouldBeTrue(e1);
            Splits.TryAllocate(money, "shares", ids.Select(i => new SplitPart(i, weight.ToString())).ToList(), out var shares, out var e2).ShouldBeTrue(e2);
            shares.ShouldBe(equal);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ExactSplit_KeepsTheGivenAmounts()
    {
        var usd = Currency.Get("USD");
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        Splits.TryAllocate(new Money(1000, usd), "exact", [new(a, "3.33"), new(b, "6.67")], out var shares, out var error).ShouldBeTrue(error);
        shares.Single(s => s.UserId == a).Minor.ShouldBe(333);
        shares.Single(s => s.UserId == b).Minor.ShouldBe(667);
    }

    [Fact]
    public void EqualSplit_OfTenCentsByThree_GivesTheSpareCentToTheLowestId()
    {
        var ids = new[] { Guid.Parse("00000000-0000-0000-0000-000000000003"), Guid.Parse("00000000-0000-0000-0000-000000000001"), Guid.Parse("00000000-0000-0000-0000-000000000002") };
        var shares = Splits.Allocate(10, ids.Select(i => (i, 1L)).ToList());
        shares.Select(s => s.Minor).ShouldBe([4L, 3L, 3L]);
        shares[0].UserId.ShouldBe(ids[1]);
    }

    [Theory]
    [InlineData("exact", "3.00", "6.00", "The exact amounts add up to 9.00, not 10.00: 1.00 is not assigned to anyone.")]
    [InlineData("exact", "5.00", "6.00", "The exact amounts add up to 11.00, not 10.00: they are 1.00 too much.")]
    [InlineData("percent", "50", "49.5", "The percentages add up to 99.5 %, not 100 %.")]
    [InlineData("percent", "50", "50.005", "Percentages are numbers from 0 to 100 with at most 2 decimals.")]
    [InlineData("shares", "1", "0", "Shares are whole numbers from 1 to 1,000,000.")]
    [InlineData("shares", "1", "1.5", "Shares are whole numbers from 1 to 1,000,000.")]
    [InlineData("thirds", "1", "1", "split.mode must be one of equal, exact, percent, shares.")]
    public void TryAllocate_ExplainsWhyASplitDoesNotAddUp(string mode, string first, string second, string expected)
    {
        Splits.TryAllocate(new Money(1000, Currency.Get("USD")), mode, [new(Guid.NewGuid(), first), new(Guid.NewGuid(), second)], out _, out var error).ShouldBeFalse();
        error.ShouldBe(expected);
    }

    [Fact]
    public void TryAllocate_RefusesAMemberNamedTwice()
    {
        var id = Guid.NewGuid();
        Splits.TryAllocate(new Money(1000, Currency.Get("USD")), "equal", [new(id, null), new(id, null)], out _, out var error).ShouldBeFalse();
        error.ShouldBe("split.parts names a member twice.");
    }

    [Fact]
    public void PercentSplit_AllocatesByHundredthsOfAPercent()
    {
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        Splits.TryAllocate(new Money(100, Currency.Get("USD")), "percent", [new(a, "33.33"), new(b, "33.33"), new(c, "33.34")], out var shares, out var error).ShouldBeTrue(error);
        shares.Sum(s => s.Minor).ShouldBe(100);
        shares.Single(s => s.UserId == c).Minor.ShouldBe(34);
    }
}
