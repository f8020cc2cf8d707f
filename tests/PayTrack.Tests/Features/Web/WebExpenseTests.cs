using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Web;

/// <summary>The expense pages without JavaScript: the API's rules and scoping hold in the UI too.</summary>
public sealed partial class WebExpenseTests : ApiTest
{
    private const string Password = "correct horse battery";

    private async Task<HttpClient> WebSignInAsync(SignedInUser user)
    {
        var web = App.Anonymous();
        (await web.SubmitAsync("/sign-in", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = Password }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return web;
    }

    private static async Task<Guid> AddExpenseAsync(HttpClient web, string amount, string payee)
    {
        var res = await web.SubmitAsync("/expenses/new", new Dictionary<string, string>
        {
            ["Form.Amount"] = amount, ["Form.Currency"] = "USD", ["Form.Date"] = "2026-03-09", ["Form.Payee"] = payee, ["Form.Tags"] = "a, b",
        });
        res.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return Guid.Parse(res.Headers.Location!.ToString().Split('/')[^1]);
    }

    [Fact]
    public async Task AddExpense_WithBadAmount_KeepsEverythingTyped()
    {
        var me = await App.RegisterAndSignInAsync(password: Password);
        var web = await WebSignInAsync(me);
        var res = await web.SubmitAsync("/expenses/new", new Dictionary<string, string>
        {
            ["Form.Amount"] = "12.345", ["Form.Currency"] = "USD", ["Form.Date"] = "2026-03-09", ["Form.Payee"] = "Kiosk", ["Form.Tags"] = "snacks",
        });
        res.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await res.Content.ReadAsStringAsync());
        html.ShouldContain("USD amounts have at most 2 decimals.");
        html.ShouldContain("value=\"12.345\"");
        html.ShouldContain("value=\"Kiosk\"");
        html.ShouldContain("value=\"snacks\"");
        (await me.Client.GetFromJsonAsync<PageDto<object>>("/api/v1/expenses"))!.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task AmountFields_ShowTheirExample_WithTheReadersDecimalSeparator()
    {
        var me = await App.RegisterAndSignInAsync(password: Password, currency: "EUR");
        var web = await WebSignInAsync(me);
        web.DefaultRequestHeaders.AcceptLanguage.ParseAdd("de-DE");
        var wallet = await PayTrackApp.MainWalletAsync(me);
        (await web.GetStringAsync("/expenses/new")).ShouldContain("placeholder=\"12,50\"");
        (await web.GetStringAsync("/budgets")).ShouldContain("placeholder=\"400,00\"");
        (await web.GetStringAsync("/send")).ShouldContain("placeholder=\"25,00\"");
        (await web.GetStringAsync($"/wallets/{wallet.Id}/deposit")).ShouldContain("placeholder=\"100,00\"");
    }

    [Fact]
    public async Task AddExpense_WithTheReadersDecimalComma_AndKind_IsStoredExactly_AndAnEditKeepsTheKind()
    {
        var me = await App.RegisterAndSignInAsync(password: Password, currency: "EUR");
        var web = await WebSignInAsync(me);
        web.DefaultRequestHeaders.AcceptLanguage.ParseAdd("de-DE");
        var res = await web.SubmitAsync("/expenses/new", new Dictionary<string, string>
        {
            ["Form.Amount"] = "1.234,56", ["Form.Currency"] = "EUR", ["Form.Date"] = "2026-03-09", ["Form.Payee"] = "Employer", ["Form.Kind"] = "income",
        });
        res.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var id = Guid.Parse(res.Headers.Location!.ToString().Split('/')[^1]);
        var stored = (await me.Client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{id}"))!;
        (stored.Amount, stored.Kind).ShouldBe(("1234.56", "income"));

        // Saving the edit form as it was loaded keeps the entry income (the form carries the kind).
        var edit = await web.GetStringAsync($"/expenses/{id}");
        edit.ShouldContain("value=\"income\" checked");
        (await web.SubmitAsync($"/expenses/{id}", new Dictionary<string, string>
        {
            ["Form.Amount"] = "19,99", ["Form.Currency"] = "EUR", ["Form.Date"] = "2026-03-09", ["Form.Payee"] = "Employer", ["Form.Kind"] = "income",
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        stored = (await me.Client.GetFromJsonAsync<ExpenseDto>($"/api/v1/expenses/{id}"))!;
        (stored.Amount, stored.Kind).ShouldBe(("19.99", "income"));

        // The upper bound is said, not just enforced.
        var tooBig = await web.SubmitAsync("/expenses/new", new Dictionary<string, string>
        {
            ["Form.Amount"] = "2000000000", ["Form.Currency"] = "EUR", ["Form.Date"] = "2026-03-09",
        });
        WebUtility.HtmlDecode(await tooBig.Content.ReadAsStringAsync()).ShouldContain("Amount must be less than 1,000,000,000 EUR.");
    }

    [Fact]
    public async Task ExpensePage_OfSomeoneElse_Is404_AndTheirReceiptToo()
    {
        var alice = await App.RegisterAndSignInAsync(password: Password);
        var bob = await App.RegisterAndSignInAsync(password: Password);
        var aliceWeb = await WebSignInAsync(alice);
        var bobWeb = await WebSignInAsync(bob);
        var id = await AddExpenseAsync(aliceWeb, "9.99", "Secret");

        (await bobWeb.GetAsync($"/expenses/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var delete = await bobWeb.SubmitAsync("/expenses", new Dictionary<string, string>(), $"/expenses/{id}?handler=Delete");
        delete.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await aliceWeb.GetAsync($"/expenses/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ReceiptUpload_ChecksTheBytes_AndServesThemToTheOwnerOnly()
    {
        var alice = await App.RegisterAndSignInAsync(password: Password);
        var bob = await App.RegisterAndSignInAsync(password: Password);
        var web = await WebSignInAsync(alice);
        var id = await AddExpenseAsync(web, "20", "Shop");

        async Task<HttpResponseMessage> UploadAsync(byte[] bytes, string name)
        {
            var html = await web.GetStringAsync($"/expenses/{id}");
            var token = WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value);
            using var form = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new ByteArrayContent(bytes), "file", name },
            };
            return await web.PostAsync($"/expenses/{id}?handler=Receipt", form);
        }

        var refused = await UploadAsync("just text, not an image"u8.ToArray(), "fake.png");
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()).ShouldContain("Receipts must be JPEG, PNG, WebP or PDF files");

        byte[] pdf = [.. "%PDF-1.4\n%test\n"u8];
        (await UploadAsync(pdf, "bill.pdf")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await web.GetStringAsync($"/expenses/{id}");
        var receiptUrl = ReceiptLink().Match(page).Groups[1].Value;
        (await (await web.GetAsync(receiptUrl)).Content.ReadAsByteArrayAsync()).ShouldBe(pdf);
        (await (await WebSignInAsync(bob)).GetAsync(receiptUrl)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ExpenseList_FiltersAndCsv_UseTheApisRules()
    {
        var me = await App.RegisterAndSignInAsync(password: Password);
        var web = await WebSignInAsync(me);
        await AddExpenseAsync(web, "5", "Bakery");
        await AddExpenseAsync(web, "50", "Garage");

        var filtered = await web.GetStringAsync("/expenses?minAmount=10");
        filtered.ShouldContain("Garage");
        filtered.ShouldNotContain("Bakery");
        var bad = WebUtility.HtmlDecode(await web.GetStringAsync("/expenses?from=yesterday"));
        bad.ShouldContain("From must be a valid date.");
        bad.ShouldNotContain("From: From");

        var csv = await web.GetAsync("/expenses?handler=Csv&q=bak");
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var text = await csv.Content.ReadAsStringAsync();
        text.ShouldContain("Bakery");
        text.ShouldNotContain("Garage");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("href=\"(/receipts/[0-9a-f-]+)\"")]
    private static partial Regex ReceiptLink();
}
