using PayTrack.Data;
using PayTrack.Domain;

namespace PayTrack.Features.Accounts;

/// <summary>A wallet as the API shows it; amounts are strings with the currency's digits.</summary>
public sealed record AccountResponse(Guid Id, string Name, string Currency, string Balance, string Available, string Status, DateTime CreatedAt);

/// <summary>One posting on an account.</summary>
public sealed record EntryResponse(Guid Id, Guid TransferId, string Amount, string Currency, string Direction, string BalanceAfter, string? Description, DateTime CreatedAt);

public static class AccountMapping
{
    public static AccountResponse ToResponse(this Account a) => new(
        a.Id, a.Name, a.Currency,
        Money.FromMinor(a.BalanceMinor, a.Currency).ToAmountString(),
        Money.FromMinor(a.BalanceMinor - a.HeldMinor, a.Currency).ToAmountString(),
        a.Status, a.CreatedAt);

    public static string Amount(long minor, string currency) => Money.FromMinor(minor, currency).ToAmountString();
}
