using System.Net;
using System.Net.Http.Json;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.ExchangeRates;

public sealed class ExchangeRatesTests : ApiTest
{
    public sealed record RateDto(string Date, string Base, string Quote, string Rate);

    [Fact]
    public async Task Put_ByAdmin_StoresAndReplaces_AndEveryoneCanRead()
    {
        var admin = await App.RegisterAndSignInAsync();
        var user = await App.RegisterAndSignInAsync();
        await admin.Client.SetRatesAsync(("2026-03-01", "eur", "USD", "1.0834"), ("2026-03-02", "EUR", "USD", "1.09"), ("2026-03-01", "USD", "JPY", "149.5"));
        await admin.Client.SetRatesAsync(("2026-03-02", "EUR", "USD", "1.0912345678"));

        var page = (await user.Client.GetFromJsonAsync<PageDto<RateDto>>("/api/v1/exchange-rates?base=EUR&quote=USD"))!;
        page.Items.ShouldBe([new RateDto("2026-03-02", "EUR", "USD", "1.0912345678"), new RateDto("2026-03-01", "EUR", "USD", "1.0834")]);
        var all = (await user.Client.GetFromJsonAsync<PageDto<RateDto>>("/api/v1/exchange-rates?limit=2"))!;
        all.Items.Count.ShouldBe(2);
        var rest = (await user.Client.GetFromJsonAsync<PageDto<RateDto>>($"/api/v1/exchange-rates?limit=2&cursor={all.NextCursor}"))!;
        rest.Items.Single().ShouldBe(new RateDto("2026-03-01", "USD", "JPY", "149.5"));
        rest.NextCursor.ShouldBeNull();
    }

    [Fact]
    public async Task Put_ByNonAdmin_Returns403()
    {
        await App.RegisterAndSignInAsync();
        var user = await App.RegisterAndSignInAsync();
        var res = await user.Client.PutAsJsonAsync("/api/v1/exchange-rates", new { rates = new[] { new { date = "2026-03-01", @base = "EUR", quote = "USD", rate = "1.1" } } });
        await res.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Put_WhenInvalid_Returns400_AndStoresNothing()
    {
        var admin = await App.RegisterAndSignInAsync();
        var res = await admin.Client.PutAsJsonAsync("/api/v1/exchange-rates", new
        {
            rates = new object[]
            {
                new { date = "2026-03-01", @base = "EUR", quote = "USD", rate = 1.1 },
                new { date = "2026-03-01", @base = "EUR", quote = "EUR", rate = "1" },
                new { date = "2026-03-01", @base = "EUR", quote = "USD", rate = "-2" },
                new { date = "March", @base = "EUR", quote = "USD", rate = "1" },
            },
        });
        (await res.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys.ShouldBe(["rates[1]", "rates[2]", "rates[3]"], ignoreOrder: true);
        (await admin.Client.GetFromJsonAsync<PageDto<RateDto>>("/api/v1/exchange-rates"))!.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task ImportFile_LoadsRates_AllOrNothing()
    {
        var admin = await App.RegisterAndSignInAsync();
        async Task<ImportResultDto> Load(string csv)
        {
            using var form = new MultipartFormDataContent { { new StringContent(csv), "file", "rates.csv" } };
            var res = await admin.Client.PostAsync("/api/v1/exchange-rates/import", form);
            await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
            return (await res.Content.ReadFromJsonAsync<ImportResultDto>())!;
        }
        var bad = await Load("date,base,quote,rate\n2026-03-01,EUR,USD,1.08\n2026-03-02,EUR,USD\n2026-03-03,EUR,XYZ,1\n");
        bad.Imported.ShouldBe(0);
        bad.Errors.Select(e => e.Line).ShouldBe([3, 4]);
        (await admin.Client.GetFromJsonAsync<PageDto<RateDto>>("/api/v1/exchange-rates"))!.Items.ShouldBeEmpty();

        (await Load("date,base,quote,rate\n2026-03-01,EUR,USD,1.08\n2026-03-02,GBP,USD,1.27\n")).Imported.ShouldBe(2);
        (await admin.Client.GetFromJsonAsync<PageDto<RateDto>>("/api/v1/exchange-rates"))!.Items.Count.ShouldBe(2);

        var user = await App.RegisterAndSignInAsync();
        using var form = new MultipartFormDataContent { { new StringContent("2026-03-01,EUR,USD,1"), "file", "rates.csv" } };
        await (await user.Client.PostAsync("/api/v1/exchange-rates/import", form)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    private async Task<ImportResultDto> ImportAsync(HttpClient client, string csv, string name)
    {
        using var form = new MultipartFormDataContent { { new StringContent(csv), "file", name } };
        var res = await client.PostAsync("/api/v1/exchange-rates/import", form);
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return (await res.Content.ReadFromJsonAsync<ImportResultDto>())!;
    }

    [Fact]
    public async Task ImportFile_ReadsTheEcbDailyFile()
    {
        var admin = await App.RegisterAndSignInAsync();
        // eurofxref.csv as the ECB publishes it: spaces after commas, a spelled-out date, a trailing comma.
        const string daily = "Date, USD, JPY, BGN, CYP, GBP, \r\n27 November 2026, 1.0512, 161.25, 1.9558, N/A, 0.8301, \r\n";
        var result = await ImportAsync(admin.Client, daily, "eurofxref.csv");
        (result.Imported, result.Failed).ShouldBe((4, 0));
        result.Skipped.ShouldBe(1); // the CYP cell: not a currency PayTrack supports
        var rates = (await admin.Client.GetFromJsonAsync<PageDto<RateDto>>("/api/v1/exchange-rates?base=EUR"))!.Items;
        rates.Select(r => (r.Date, r.Quote, r.Rate)).ShouldBe([("2026-11-27", "BGN", "1.9558"), ("2026-11-27", "GBP", "0.8301"), ("2026-11-27", "JPY", "161.25"), ("2026-11-27", "USD", "1.0512")], ignoreOrder: true);
    }

    [Fact]
    public async Task ImportFile_ReadsTheZipTheEcbPublishes()
    {
        var admin = await App.RegisterAndSignInAsync();
        using var zipped = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(zipped, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var w = new StreamWriter(zip.CreateEntry("eurofxref-hist.csv").Open());
            await w.WriteAsync("Date,USD,GBP,\n2026-03-02,1.0800,0.85,\n");
        }
        using var form = new MultipartFormDataContent { { new ByteArrayContent(zipped.ToArray()), "file", "eurofxref-hist.zip" } };
        var res = await admin.Client.PostAsync("/api/v1/exchange-rates/import", form);
        await res.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await res.Content.ReadFromJsonAsync<ImportResultDto>())!.Imported.ShouldBe(2);
    }

    [Fact]
    public async Task ImportFile_ReadsTheEcbHistoryFile_SkippingNA_AndConvertsReports()
    {
        var admin = await App.RegisterAndSignInAsync(currency: "EUR");
        const string hist = "Date,USD,JPY,BGN,\n2026-03-03,1.0900,N/A,1.9558,\n2026-03-02,1.0800,160.5,1.9558,\n";
        var result = await ImportAsync(admin.Client, hist, "eurofxref-hist.csv");
        (result.Imported, result.Failed, result.Skipped).ShouldBe((5, 0, 1));
        await admin.Client.CreateExpenseAsync(new { amount = "10.80", currency = "USD", date = "2026-03-02" });
        await admin.Client.CreateExpenseAsync(new { amount = "1605", currency = "JPY", date = "2026-03-04" });
        var report = (await admin.Client.GetFromJsonAsync<SpendingReportDto>("/api/v1/reports/spending?from=2026-03-01&to=2026-03-31"))!;
        // 10.80 USD at 1.08 = 10.00 EUR; 1605 JPY at the latest rate on or before the 4th (160.5, the 3rd is N/A) = 10.00 EUR.
        report.Total.ShouldBe("20.00");
        report.MissingRates.ShouldBeEmpty();

        var bad = await ImportAsync(admin.Client, "Date,USD,\n2026-03-05,abc,\nyesterday,1.1,\n", "eurofxref-hist.csv");
        (bad.Imported, bad.Failed).ShouldBe((0, 2));
        bad.Errors.Select(e => e.Line).ShouldBe([2, 3]);
    }

    [Fact]
    public async Task NewRates_AreUsedByTheNextReport()
    {
        var admin = await App.RegisterAndSignInAsync();
        await admin.Client.CreateExpenseAsync(new { amount = "10.00", currency = "EUR", date = "2026-03-05" });
        const string url = "/api/v1/reports/spending?from=2026-01-01&to=2026-12-31&currency=USD";
        var before = (await admin.Client.GetFromJsonAsync<SpendingReportDto>(url))!;
        before.Total.ShouldBe("0.00");
        before.MissingRates.Single().ShouldBe(new MissingRateDto("EUR", "2026-03-05"));

        await admin.Client.SetRatesAsync(("2026-03-01", "EUR", "USD", "1.5"));
        var after = (await admin.Client.GetFromJsonAsync<SpendingReportDto>(url))!;
        after.Total.ShouldBe("15.00");
        after.MissingRates.ShouldBeEmpty();
    }
}
