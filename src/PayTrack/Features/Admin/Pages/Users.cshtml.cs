using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PayTrack.Data;
using PayTrack.Features.Accounts;
using PayTrack.Features.Auth;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Web;

using PayTrack.Infrastructure.Outbox;

namespace PayTrack.Features.Admin.Pages;

/// <summary>The admin's user list with suspend / reactivate, through the same handlers as <c>/api/v1/admin/users</c>.</summary>
public sealed class UsersModel(PayTrackDb db, LedgerBook book, DomainEvents events, SessionCache sessions, TimeProvider clock) : PageModel
{
    public IReadOnlyList<UserResponse> Users { get; private set; } = [];
    public string? NextCursor { get; private set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var result = await ListUsers.Handle(50, Cursor, db, ct);
        if (result.Result is not Microsoft.AspNetCore.Http.HttpResults.Ok<Page<UserResponse>> ok) return RedirectToPage(new { cursor = (string?)null });
        Users = ok.Value!.Items;
        NextCursor = ok.Value.NextCursor;
        return Page();
    }

    public Task<IActionResult> OnPostSuspendAsync(Guid id, CancellationToken ct) => ChangeAsync(id, "suspend", ct);
    public Task<IActionResult> OnPostReactivateAsync(Guid id, CancellationToken ct) => ChangeAsync(id, "reactivate", ct);

    private async Task<IActionResult> ChangeAsync(Guid id, string action, CancellationToken ct)
    {
        var result = await ChangeUserStatus.Handle(id, action, User, db, book, events, sessions, clock, ct);
        if (UseCaseErrors.AddTo(ModelState, result.Result, ""))
            TempData["Flash"] = string.Join(" ", ModelState[""]!.Errors.Select(e => e.ErrorMessage));
        else if (result.Result is Microsoft.AspNetCore.Http.HttpResults.Ok<UserResponse> ok)
            TempData["Flash"] = action == "suspend" ? $"{ok.Value!.DisplayName} is suspended and signed out everywhere." : $"{ok.Value!.DisplayName} can sign in again.";
        return RedirectToPage(new { cursor = Cursor });
    }
}
