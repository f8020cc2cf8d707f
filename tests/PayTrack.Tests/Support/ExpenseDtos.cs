using System.Net;
using System.Net.Http.Json;

namespace PayTrack.Tests.Support;

public sealed record CategoryDto(Guid Id, string Name, Guid? ParentId, string? Color);
public sealed record ReceiptDto(Guid Id, Guid ExpenseId, string FileName, string ContentType, long Size, string Sha256);
public sealed record ExpenseDto(Guid Id, string Amount, string Currency, string Date, Guid? CategoryId, string? Payee, string? Description,
    List<string> Tags, List<ReceiptDto> Receipts, Guid? AccountId, DateTime CreatedAt, DateTime UpdatedAt, string Kind = "expense");
public sealed record ImportErrorDto(int Line, string Message);
public sealed record ImportResultDto(int Imported, int Duplicates, int Failed, List<ImportErrorDto> Errors, int Skipped, int Incoming = 0, List<ImportErrorDto>? Warnings = null);
public sealed record MissingRateDto(string Currency, string Date);
public sealed record SpendingGroupDto(string Key, string Label, string Total, int Count);
public sealed record SpendingReportDto(string From, string To, string Currency, string Total, int Count, List<SpendingGroupDto> Groups, List<MissingRateDto> MissingRates);
public sealed record BudgetDto(Guid Id, string Name, Guid? CategoryId, string Amount, string Currency, string Period, int StartDay,
    string PeriodStart, string PeriodEnd, string Spent, string Remaining, decimal PercentUsed, List<MissingRateDto> MissingRates);

/// <summary>Shortcuts for arranging expense data through the API.</summary>
public static class ExpenseApi
{
    public static async Task<ExpenseDto> CreateExpenseAsync(this HttpClient client, object body)
    {
        var res = await client.PostAsJsonAsync("/api/v1/expenses", body);
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (await res.Content.ReadFromJsonAsync<ExpenseDto>())!;
    }

    public static async Task<CategoryDto> CreateCategoryAsync(this HttpClient client, string name, Guid? parentId = null)
    {
        var res = await client.PostAsJsonAsync("/api/v1/categories", new { name, parentId });
        await res.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (await res.Content.ReadFromJsonAsync<CategoryDto>())!;
    }

    public static async Task<List<CategoryDto>> CategoriesAsync(this HttpClient client) =>
        (await client.GetFromJsonAsync<List<CategoryDto>>("/api/v1/categories"))!;

    public static async Task<CategoryDto> CategoryAsync(this HttpClient client, string name) =>
        (await client.CategoriesAsync()).Single(c => c.Name == name);

    public static async Task<ImportResultDto> ImportAsync(this HttpClient client, string content, string fileName, Dictionary<string, string>? fields = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(content)), "file", fileName);
        foreach (var (k, v) in fields ?? []) form.Add(new StringContent(v), k);
        var res = await client.PostAsync("/api/v1/imports", form);
        await res.ShouldHaveStatusAsync(expected);
        return expected == HttpStatusCode.OK ? (await res.Content.ReadFromJsonAsync<ImportResultDto>())! : null!;
    }

    public static async Task SetRatesAsync(this HttpClient admin, params (string Date, string Base, string Quote, string Rate)[] rates)
    {
        var res = await admin.PutAsJsonAsync("/api/v1/exchange-rates", new { rates = rates.Select(r => new { date = r.Date, @base = r.Base, quote = r.Quote, rate = r.Rate }) });
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }
}
