using FsCheck;
using FsCheck.Fluent;
using PayTrack.Domain;
using PayTrack.Domain.Ledger;

namespace PayTrack.Tests.Domain;

public sealed class TransferStatusTests
{
    private static readonly string[] Actions = ["capture", "void", "expire"];

    [Fact]
    public void AnySequenceOfActions_EndsAHoldAtMostOnceAndNeverLeavesAFinalState()
    {
        Prop.ForAll(Gen.Elements(Actions).ListOf().ToArbitrary(), actions =>
        {
            var status = TransferStatus.Pending;
            var moves = 0;
            foreach (var action in actions)
            {
                try
                {
                    status = TransferStatus.Next(status, action);
                    moves++;
                }
                catch (DomainException e)
                {
                    e.Status.ShouldBe(409);
                    TransferStatus.IsFinal(status).ShouldBeTrue();
                }
            }
            moves.ShouldBeLessThanOrEqualTo(1);
            if (actions.Count > 0)
            {
                status.ShouldBe(actions[0] switch { "capture" => "success", "void" => "voided", _ => "expired" });
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void FinalStates_RefuseEveryAction()
    {
        foreach (var status in TransferStatus.All.Where(TransferStatus.IsFinal))
            foreach (var action in Actions)
                Should.Throw<DomainException>(() => TransferStatus.Next(status, action)).Slug.ShouldBe("illegal-state-transition");
    }

    [Fact]
    public void Payments_SettleOnlyFromPending()
    {
        PaymentStatus.CanSettle(PaymentStatus.Pending).ShouldBeTrue();
        PaymentStatus.CanSettle(PaymentStatus.Success).ShouldBeFalse();
        PaymentStatus.CanSettle(PaymentStatus.Failed).ShouldBeFalse();
    }
}
