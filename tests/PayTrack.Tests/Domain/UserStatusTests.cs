using FsCheck;
using FsCheck.Fluent;
using PayTrack.Domain;

namespace PayTrack.Tests.Domain;

public sealed class UserStatusTests
{
    private static readonly string[] Actions = ["suspend", "reactivate", "close"];

    [Fact]
    public void Transitions_AnySequenceOfActions_NeverLeavesClosedAndOnlyMakesLegalMoves()
    {
        var actions = Gen.Elements(Actions).ListOf();
        Prop.ForAll(actions.ToArbitrary(), seq =>
        {
            var status = UserStatus.Active;
            foreach (var action in seq)
            {
                var before = status;
                try
                {
                    status = UserStatus.Transition(status, action);
                }
                catch (DomainException e)
                {
                    e.Status.ShouldBe(409);
                    continue;
                }
                (before, status).ShouldBeOneOf(
                    (UserStatus.Active, UserStatus.Suspended),
                    (UserStatus.Suspended, UserStatus.Active),
                    (UserStatus.Active, UserStatus.Closed),
                    (UserStatus.Suspended, UserStatus.Closed));
                before.ShouldNotBe(UserStatus.Closed);
            }
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("active", "suspend", "suspended")]
    [InlineData("suspended", "reactivate", "active")]
    [InlineData("active", "close", "closed")]
    [InlineData("suspended", "close", "closed")]
    public void Transition_Legal(string from, string action, string to) => UserStatus.Transition(from, action).ShouldBe(to);

    [Theory]
    [InlineData("active", "reactivate")]
    [InlineData("suspended", "suspend")]
    [InlineData("closed", "reactivate")]
    [InlineData("closed", "close")]
    public void Transition_Illegal_Throws409(string from, string action) =>
        Should.Throw<DomainException>(() => UserStatus.Transition(from, action)).Status.ShouldBe(409);
}
