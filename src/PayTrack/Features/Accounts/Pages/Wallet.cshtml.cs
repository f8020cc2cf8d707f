using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Infrastructure;

namespace PayTrack.Features.Accounts.Pages;

/// <summary>One wallet: balance and its postings with the other side named, newest first, keyset-paged like <c>GET /accounts/{id}/entries</c>, both ways.</summary>
public sealed class WalletModel(PayTrackDb db) : PageModel
{
    public AccountResponse Wallet { get; private set; } = null!;
    public IReadOnlyList<EntryResponse> Entries { get; private set; } = [];
    public string? NextCursor { get; private set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }
    /// <summary>The cursors of the pages before this one ("-" is the first), joined by '~', so "Newer" goes back exactly.</summary>
    [BindProperty(SupportsGet = true)] public string? Trail { get; set; }

    private List<string> TrailParts => string.IsNullOrEmpty(Trail) ? [] : Trail.Split('~').ToList();
    public int PageNumber => TrailParts.Count + 1;

    public string OlderLink() => $"/wallets/{Wallet.Id}?cursor={Uri.EscapeDataString(NextCursor!)}&trail={Uri.EscapeDataString(string.Join('~', TrailParts.Append(Cursor ?? "-")))}";

    public string? NewerLink()
    {
        var parts = TrailParts;
        if (parts.Count == 0) return null;
        var q = new List<string>();
        if (parts[^1] != "-") q.Add("cursor=" + Uri.EscapeDataString(parts[^1]));
        if (parts.Count > 1) q.Add("trail=" + Uri.EscapeDataString(string.Join('~', parts.Take(parts.Count - 1))));
        return $"/wallets/{Wallet.Id}" + (q.Count > 0 ? "?" + string.Join("&", q) : "");
    }
    /// <summary>Each posting's other side, by transfer id.</summary>
    public IReadOnlyDictionary<Guid, string> Counterparty { get; private set; } = new Dictionary<Guid, string>();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if ((await GetAccount.Handle(id, User, db, ct)).Result is not Ok<AccountResponse> wallet) return NotFound();
        Wallet = wallet.Value!;
        var entries = await ListEntries.Handle(id, 25, Cursor, User, db, ct);
        if (entries.Result is not Ok<Page<EntryResponse>> page) return RedirectToPage(new { id, cursor = (string?)null });
        Entries = page.Value!.Items;
        NextCursor = page.Value.NextCursor;
        Counterparty = await Counterparties.ForTransfersAsync(db, Infrastructure.Auth.ClaimsPrincipalExtensions.UserId(User), Entries.Select(e => e.TransferId).ToList(), id, ct);
        return Page();
    }
}
