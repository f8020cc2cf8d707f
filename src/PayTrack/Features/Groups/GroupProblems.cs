using Microsoft.AspNetCore.Http.HttpResults;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>The refusals group use cases share.</summary>
public static class GroupProblems
{
    public static ProblemHttpResult OwnerOnly(string what) =>
        ProblemSetup.Problem(403, "group-owner-only", "Owners only", $"Only an owner of the group can {what}.");

    public static ProblemHttpResult NotSettled(string detail) =>
        ProblemSetup.Problem(409, "group-not-settled", "Group not settled", detail);

    public static ProblemHttpResult BalanceNotZero(string detail) =>
        ProblemSetup.Problem(409, "balance-not-zero", "Balance not zero", detail);

    public static ProblemHttpResult AlreadyMember(string email) =>
        ProblemSetup.Problem(409, "already-a-member", "Already a member", $"{email} is already a member of this group.");

    public static ProblemHttpResult LastOwner() =>
        ProblemSetup.Problem(409, "last-owner", "Last owner", "A group needs an owner: make someone else an owner first.");
}
