using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PayTrack.Data;
using PayTrack.Features.Receipts;
using PayTrack.Infrastructure;
using PayTrack.Infrastructure.Auth;
using PayTrack.Infrastructure.Blobs;
using PayTrack.Infrastructure.Problems;

namespace PayTrack.Features.Groups;

/// <summary>A member attaches a receipt to a group expense (the same checks as personal receipts); every member may download it.</summary>
public static class UploadGroupReceipt
{
    public static async Task<Results<Created<ReceiptResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Guid expenseId, HttpRequest request, ClaimsPrincipal principal, PayTrackDb db, IBlobStore blobs, TimeProvider clock, CancellationToken ct)
    {
        var me = principal.UserId();
        if (await GroupAccess.FindAsync(db, id, me, ct) is null) return ProblemSetup.NotFound("The group");
        if (!await db.GroupExpenses.AnyAsync(e => e.Id == expenseId && e.GroupId == id, ct)) return ProblemSetup.NotFound("The expense");
        var (file, refusal) = await UploadReceipt.ReadFileAsync(request, db, blobs, ct);
        if (refusal is ValidationProblem invalid) return invalid;
        if (refusal is ProblemHttpResult problem) return problem;
        var receipt = new GroupExpenseReceipt
        {
            Id = Guid.CreateVersion7(), GroupId = id, ExpenseId = expenseId, UserId = me, FileName = file!.FileName, ContentType = file.ContentType,
            Size = file.Size, Sha256 = file.Sha256, CreatedAt = clock.UtcNowStored(),
        };
        await Sql.InTransactionAsync(db, async c =>
        {
            db.GroupExpenseReceipts.Add(receipt);
            await db.SaveChangesAsync(c);
            return 0;
        }, ct);
        return TypedResults.Created($"/api/v1/groups/{id}/receipts/{receipt.Id}", ToResponse(receipt));
    }

    public static ReceiptResponse ToResponse(GroupExpenseReceipt r) => new(r.Id, r.ExpenseId, r.FileName, r.ContentType, r.Size, r.Sha256, r.CreatedAt);
}

/// <summary>The receipts of a group expense, for any member.</summary>
public static class ListGroupReceipts
{
    public static async Task<Results<Ok<List<ReceiptResponse>>, ProblemHttpResult>> Handle(Guid id, Guid expenseId, ClaimsPrincipal principal, PayTrackDb db, CancellationToken ct)
    {
        if (await GroupAccess.FindAsync(db, id, principal.UserId(), ct) is null) return ProblemSetup.NotFound("The group");
        if (!await db.GroupExpenses.AnyAsync(e => e.Id == expenseId && e.GroupId == id, ct)) return ProblemSetup.NotFound("The expense");
        var rows = await db.GroupExpenseReceipts.AsNoTracking().Where(r => r.ExpenseId == expenseId && r.GroupId == id).OrderBy(r => r.Id).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(UploadGroupReceipt.ToResponse).ToList());
    }
}

/// <summary>Downloads a group receipt: members only (anyone else, and a member who left, gets 404).</summary>
public static class DownloadGroupReceipt
{
    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Handle(
        Guid id, Guid receiptId, ClaimsPrincipal principal, PayTrackDb db, IBlobStore blobs, CancellationToken ct)
    {
        if (await GroupAccess.FindAsync(db, id, principal.UserId(), ct) is null) return ProblemSetup.NotFound("The group");
        var receipt = await db.GroupExpenseReceipts.AsNoTracking().FirstOrDefaultAsync(r => r.Id == receiptId && r.GroupId == id, ct);
        if (receipt is null) return ProblemSetup.NotFound("The receipt");
        var stream = blobs.OpenRead(receipt.Sha256) ?? throw new InvalidOperationException($"Group receipt {receipt.Id} has no blob {receipt.Sha256}.");
        return TypedResults.Stream(stream, receipt.ContentType, receipt.FileName, enableRangeProcessing: true);
    }
}
