using PayTrack.Infrastructure.Idempotency;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Groups;

public static class GroupsEndpoints
{
    /// <summary>Groups: members, invites, shared expenses, balances, settlements and activity. Everything under /groups/{id} is 404 to non-members.</summary>
    public static IEndpointRouteBuilder MapGroups(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/groups").WithTags("Groups").RequireAuthorization();
        group.MapPost("/", CreateGroup.Handle).HonourIdempotencyKey().WithSummary("Create a group (you are its owner) with a wallet in its currency.");
        group.MapGet("/", ListGroups.Handle).WithSummary("The groups you are a member of.");
        group.MapGet("/{id:guid}", GetGroup.Handle).WithSummary("A group with its members and their balances (members only).");
        group.MapPatch("/{id:guid}", RenameGroup.Handle).ProducesProblem(StatusCodes.Status403Forbidden).WithSummary("Rename a group (owners).");
        group.MapDelete("/{id:guid}", DeleteGroup.Handle).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Delete a settled group (owners).").WithDescription("409 group-not-settled while any balance is not zero or the wallet holds money.");
        group.MapPatch("/{id:guid}/members/{userId:guid}", ChangeMemberRole.Handle).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Change a member's role: owner, approver or member (owners).").WithDescription("409 last-owner when the group would have no owner.");
        group.MapDelete("/{id:guid}/members/{userId:guid}", RemoveMember.Handle).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Remove a member (owners), or leave (yourself).").WithDescription("409 balance-not-zero unless that member's balance is zero; 409 last-owner for the last owner.");
        group.MapPost("/{id:guid}/invites", CreateInvite.Handle).HonourIdempotencyKey().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Invite someone by e-mail (owners); the answer's url is the link to pass on.");

        group.MapPost("/{id:guid}/expenses", CreateGroupExpense.Handle).HonourIdempotencyKey().ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Add a shared expense: several payers, a split (equal, exact, percent, shares), any currency.")
            .WithDescription("422 missing-rate for another currency without a rate given or stored for its date.");
        group.MapGet("/{id:guid}/expenses", ListGroupExpenses.Handle).WithSummary("The group's expenses, newest date first, paged; filter by dates and text (q).");
        group.MapGet("/{id:guid}/expenses.csv", ExportGroupExpenses.Handle).ProducesCsv("Every expense with its payers and shares, UTF-8; formula cells neutralised.")
            .WithSummary("The group's expenses as CSV.");
        group.MapGet("/{id:guid}/expenses/{expenseId:guid}", GetGroupExpense.Handle).WithSummary("One group expense.");
        group.MapPut("/{id:guid}/expenses/{expenseId:guid}", UpdateGroupExpense.Handle)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Replace a group expense (its creator or an owner); send the version you edited.").WithDescription("409 edit-conflict when the version is stale.");
        group.MapDelete("/{id:guid}/expenses/{expenseId:guid}", DeleteGroupExpense.Handle).ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Delete a group expense (its creator or an owner).");

        group.MapPost("/{id:guid}/expenses/{expenseId:guid}/receipts", UploadGroupReceipt.Handle).HonourIdempotencyKey()
            .AcceptsMultipart(new FormField("file", "The receipt: JPEG, PNG, WebP or PDF, at most 10 MiB; the type is read from the bytes, not the name.", Required: true, Binary: true))
            .DisableAntiforgery().WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(Receipts.UploadReceipt.MaxBytes + 1024 * 1024))
            .WithSummary("Attach a receipt to a group expense (any member), as multipart field 'file'.")
            .WithDescription("Too large: 413; another type of file, or a body that is not multipart/form-data: 415.");
        group.MapGet("/{id:guid}/expenses/{expenseId:guid}/receipts", ListGroupReceipts.Handle).WithSummary("The receipts of a group expense.");
        group.MapGet("/{id:guid}/receipts/{receiptId:guid}", DownloadGroupReceipt.Handle)
            .ProducesFile("The receipt file as uploaded.", "image/jpeg", "image/png", "image/webp", "application/pdf")
            .WithSummary("Download a group receipt (members only).");
        group.MapGet("/{id:guid}/balances", GetBalances.Handle).WithSummary("Each member's totals and balance, and the fewest transfers that settle them.");
        group.MapPost("/{id:guid}/settlements", CreateSettlement.Handle).RequireIdempotencyKey().ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Pay a member back: through your wallet (a ledger transfer) or in cash (recorded only).")
            .WithDescription("422 insufficient-funds (nothing is recorded), currency-mismatch, recipient-not-found, account-not-active.");
        group.MapGet("/{id:guid}/settlements", ListSettlements.Handle).WithSummary("The group's settlements, newest first, paged.");
        group.MapGet("/{id:guid}/events", StreamGroupEvents.Handle).Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .WithSummary("Server-Sent Events: group.changed after every change to the group (members only).")
            .WithDescription("Each event's data is { action, entityId, at }; a comment line at least every 15 s keeps the stream open.");
        group.MapGet("/{id:guid}/activity", ListActivity.Handle).WithSummary("Who changed what in the group, newest first, paged, with before and after.");

        // The web group page's stream: the same use case, signed in with the session cookie (UI paths, ADR 0021).
        app.MapGet("/groups/{id:guid}/events", StreamGroupEvents.Handle).RequireAuthorization().ExcludeFromDescription();

        var invites = app.MapGroup("/api/v1/invites").WithTags("Groups").RequireAuthorization();
        invites.MapGet("/{token}", GetInvite.Handle).WithSummary("What an invite link is for: group, who invited, e-mail, expiry.");
        invites.MapPost("/{token}/accept", AcceptInvite.Handle).HonourIdempotencyKey()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status410Gone)
            .WithSummary("Join the group (signed in with the invited e-mail).").WithDescription("403 for another e-mail; 410 when expired (7 days) or already used.");
        return app;
    }
}
