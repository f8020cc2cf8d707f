using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Transfers;

public sealed class IdempotencyTests : ApiTest
{
    [Fact]
    public async Task SameKeySameBody_ReplaysTheFirstAnswer_AndPaysOnce()
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(ann);
        await App.FundAsync(ann.Id, wallet.Id, "50.00");
        var body = new { fromAccountId = wallet.Id, toEmail = bob.Email, amount = "20.00" };

        var first = await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", body, "key-1");
        var again = await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", body, "key-1");
        await first.ShouldHaveStatusAsync(HttpStatusCode.Created);
        await again.ShouldHaveStatusAsync(HttpStatusCode.Created);
        again.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        first.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
        (await again.Content.ReadFromJsonAsync<TransferDto>()).ShouldBe(await first.Content.ReadFromJsonAsync<TransferDto>());
        (await ann.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{wallet.Id}"))!.Balance.ShouldBe("30.00");
    }

    [Fact]
    public async Task SameKey_AfterARefusal_ReplaysTheRefusal()
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(ann);
        var body = new { fromAccountId = wallet.Id, toEmail = bob.Email, amount = "5.00" };
        var first = await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", body, "k");
        var firstProblem = await first.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/insufficient-funds");
        await App.FundAsync(ann.Id, wallet.Id, "50.00");
        var again = await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", body, "k");
        var replayed = await again.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/insufficient-funds");
        replayed.Detail.ShouldBe(firstProblem.Detail);
        (await ann.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{wallet.Id}"))!.Balance.ShouldBe("50.00");
    }

    [Fact]
    public async Task SameKeyOtherBody_Returns422AndDoesNothing()
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(ann);
        await App.FundAsync(ann.Id, wallet.Id, "50.00");
        await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = wallet.Id, toEmail = bob.Email, amount = "1.00" }, "k");
        var reused = await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = wallet.Id, toEmail = bob.Email, amount = "2.00" }, "k");
        await reused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/idempotency-key-reused");
        (await ann.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{wallet.Id}"))!.Balance.ShouldBe("49.00");
    }

    [Fact]
    public async Task ValidationFailure_IsNotRemembered_SoTheKeyCanBeUsedOnceFixed()
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(ann);
        await App.FundAsync(ann.Id, wallet.Id, "10.00");
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = wallet.Id, toEmail = bob.Email, amount = "1.001" }, "k"))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = wallet.Id, toEmail = bob.Email, amount = "1.00" }, "k"))
            .ShouldHaveStatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Keys_AreScopedPerUser()
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var annWallet = await PayTrackApp.MainWalletAsync(ann);
        var bobWallet = await PayTrackApp.MainWalletAsync(bob);
        await App.FundAsync(ann.Id, annWallet.Id, "10.00");
        await App.FundAsync(bob.Id, bobWallet.Id, "10.00");
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", new { fromAccountId = annWallet.Id, toAccountId = bobWallet.Id, amount = "1" }, "same")).ShouldHaveStatusAsync(HttpStatusCode.Created);
        var bobs = await PayTrackApp.PostIdempotentAsync(bob.Client, "/api/v1/transfers", new { fromAccountId = bobWallet.Id, toAccountId = annWallet.Id, amount = "3" }, "same");
        await bobs.ShouldHaveStatusAsync(HttpStatusCode.Created);
        bobs.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
        (await bob.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{bobWallet.Id}"))!.Balance.ShouldBe("8.00");
    }

    [Fact]
    public async Task ConcurrentDuplicates_RunOnce()
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(ann);
        await App.FundAsync(ann.Id, wallet.Id, "100.00");
        var body = new { fromAccountId = wallet.Id, toEmail = bob.Email, amount = "10.00" };
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", body, "dup")));
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.Conflict);
        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        created.Count.ShouldBeGreaterThanOrEqualTo(1);
        var ids = new HashSet<Guid>();
        foreach (var r in created) ids.Add((await r.Content.ReadFromJsonAsync<TransferDto>())!.Id);
        ids.Count.ShouldBe(1);
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            await conflict.ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/idempotency-key-in-flight");
        (await ann.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{wallet.Id}"))!.Balance.ShouldBe("90.00");
    }

    [Fact]
    public async Task ACrashedFirstAttempt_IsTakenOverAfterItGoesStale_AndRunsOnce()
    {
        var ann = await App.RegisterAndSignInAsync();
        var bob = await App.RegisterAndSignInAsync();
        var wallet = await PayTrackApp.MainWalletAsync(ann);
        await App.FundAsync(ann.Id, wallet.Id, "100.00");
        var body = new { fromAccountId = wallet.Id, toEmail = bob.Email, amount = "10.00" };
        // A first attempt claimed the key and died before committing anything.
        await using (var db = App.Database.OpenContext())
        {
            db.IdempotencyKeys.Add(new PayTrack.Data.IdempotencyRecord
            {
                UserId = ann.Id, Key = "crash", Status = "in_flight", LockedAt = App.Clock.GetUtcNow().UtcDateTime, CreatedAt = App.Clock.GetUtcNow().UtcDateTime,
                RequestHash = "placeholder",
            });
            await db.SaveChangesAsync();
        }
        // The hash of the real body is needed for the retry to count as "the same request": take it from a dry claim.
        await using (var db = App.Database.OpenContext())
        {
            var row = db.IdempotencyKeys.Single(k => k.Key == "crash");
            row.RequestHash = await HashOfAsync(body);
            await db.SaveChangesAsync();
        }
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", body, "crash")).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        App.Clock.Advance(TimeSpan.FromSeconds(61));
        await (await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", body, "crash")).ShouldHaveStatusAsync(HttpStatusCode.Created);
        var replay = await PayTrackApp.PostIdempotentAsync(ann.Client, "/api/v1/transfers", body, "crash");
        replay.Headers.Contains("Idempotent-Replayed").ShouldBeTrue();
        (await ann.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{wallet.Id}"))!.Balance.ShouldBe("90.00");
    }

    [Fact]
    public async Task ARefusal_ChangesNothing_AndIsReplayed_WhileTheKeyIsOnlyEverStoredFinished()
    {
        var me = await App.RegisterAndSignInAsync();
        await (await PayTrackApp.PostIdempotentAsync(me.Client, "/api/v1/accounts", new { name = "Travel", currency = "EUR" }, "open-1")).ShouldHaveStatusAsync(HttpStatusCode.Created);
        var refused = await PayTrackApp.PostIdempotentAsync(me.Client, "/api/v1/accounts", new { name = "Travel", currency = "USD" }, "open-2");
        await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/account-name-taken");
        var replay = await PayTrackApp.PostIdempotentAsync(me.Client, "/api/v1/accounts", new { name = "Travel", currency = "USD" }, "open-2");
        await replay.ShouldBeProblemAsync(HttpStatusCode.Conflict, "/problems/account-name-taken");
        replay.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        await using var db = App.Database.OpenContext();
        db.Accounts.Count(a => a.UserId == me.Id && a.Name == "Travel").ShouldBe(1);
        // No claim rows: a key is written once, finished, in the transaction of its effect (or its refusal).
        db.IdempotencyKeys.Where(k => k.UserId == me.Id).Select(k => k.Status).ToList().ShouldAllBe(s => s == "done");
        db.IdempotencyKeys.Count(k => k.UserId == me.Id).ShouldBe(2);
    }

    [Fact]
    public async Task OtherPosts_HonourAKeyWhenSent()
    {
        var me = await App.RegisterAndSignInAsync();
        var body = new { amount = "4.20", date = "2026-03-01", payee = "Cafe" };
        var first = await PayTrackApp.PostIdempotentAsync(me.Client, "/api/v1/expenses", body, "exp-1");
        var again = await PayTrackApp.PostIdempotentAsync(me.Client, "/api/v1/expenses", body, "exp-1");
        await first.ShouldHaveStatusAsync(HttpStatusCode.Created);
        await again.ShouldHaveStatusAsync(HttpStatusCode.Created);
        again.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        await (await PayTrackApp.PostIdempotentAsync(me.Client, "/api/v1/expenses", new { amount = "5.00", date = "2026-03-01" }, "exp-1"))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/idempotency-key-reused");
        // Without a key, the same POST simply runs again.
        (await me.Client.PostAsJsonAsync("/api/v1/expenses", body)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await using var db = App.Database.OpenContext();
        db.Expenses.Count().ShouldBe(2);
    }

    [Fact]
    public async Task TheKeyCoversTheWholeRequest_BodyBytesQueryAndMultipartParts_ButNotTheBoundary()
    {
        var me = await App.RegisterAndSignInAsync();
        // Another body byte (here: a field the handler does not even bind) is another request.
        await (await PayTrackApp.PostIdempotentAsync(me.Client, "/api/v1/expenses", new { amount = "1.00", date = "2026-03-01" }, "w-1")).ShouldHaveStatusAsync(HttpStatusCode.Created);
        await (await PayTrackApp.PostIdempotentAsync(me.Client, "/api/v1/expenses", new { amount = "1.00", date = "2026-03-01", note = "x" }, "w-1"))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/idempotency-key-reused");

        // The same upload retried by a client library with a fresh multipart boundary is the same request.
        static MultipartFormDataContent Upload(string boundary, string csv) => new(boundary)
        {
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", "s.csv" },
        };
        const string Csv = "date,amount,payee\n2026-01-02,3.50,Bakery\n";
        async Task<HttpResponseMessage> SendAsync(MultipartFormDataContent content)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/imports") { Content = content };
            request.Headers.Add("Idempotency-Key", "upload-1");
            return await me.Client.SendAsync(request);
        }
        var first = await SendAsync(Upload("boundary-one", Csv));
        await first.ShouldHaveStatusAsync(HttpStatusCode.OK);
        (await first.Content.ReadFromJsonAsync<ImportResultDto>())!.Imported.ShouldBe(1, await first.Content.ReadAsStringAsync());
        var retry = await SendAsync(Upload("another-boundary", Csv));
        await retry.ShouldHaveStatusAsync(HttpStatusCode.OK);
        retry.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        await (await SendAsync(Upload("boundary-one", Csv.Replace("3.50", "3.60", StringComparison.Ordinal)))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "/problems/idempotency-key-reused");
        var all = (await me.Client.GetFromJsonAsync<PageDto<ExpenseDto>>("/api/v1/expenses"))!.Items;
        all.Count(e => e.Amount == "3.50").ShouldBe(1);
        all.ShouldNotContain(e => e.Amount == "3.60");
    }

    [Fact]
    public async Task KeysOlderThanTheRetention_AreDeleted_AndTheKeyCanBeUsedAgain()
    {
        var me = await App.RegisterAndSignInAsync();
        var body = new { amount = "1.00", date = "2026-03-01" };
        await (await PayTrackApp.PostIdempotentAsync(me.Client, "/api/v1/expenses", body, "old")).ShouldHaveStatusAsync(HttpStatusCode.Created);
        var cleaner = App.Services.GetRequiredService<PayTrack.Infrastructure.Idempotency.IdempotencyKeyCleaner>();
        (await cleaner.CleanAsync(CancellationToken.None)).ShouldBe(0, "a fresh key is kept");
        App.Clock.Advance(TimeSpan.FromHours(47));
        (await cleaner.CleanAsync(CancellationToken.None)).ShouldBe(0, "kept for 48 hours by default");
        App.Clock.Advance(TimeSpan.FromHours(2));
        (await cleaner.CleanAsync(CancellationToken.None)).ShouldBe(1);
        var client = App.Authorized((await App.SignInAsync(me.Email, me.Password)).AccessToken); // the old access token has expired meanwhile
        var again = await PayTrackApp.PostIdempotentAsync(client, "/api/v1/expenses", body, "old");
        await again.ShouldHaveStatusAsync(HttpStatusCode.Created);
        again.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
    }

    private static async Task<string> HashOfAsync(object body)
    {
        // The request as the client sends it (PostIdempotentAsync: JsonContent), hashed the way the server does.
        var bytes = await System.Net.Http.Json.JsonContent.Create(body).ReadAsByteArrayAsync();
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Path = "/api/v1/transfers";
        http.Request.ContentType = "application/json; charset=utf-8";
        http.Request.Body = new MemoryStream(bytes);
        return await PayTrack.Infrastructure.Idempotency.RequestFingerprint.OfAsync(http.Request, CancellationToken.None);
    }
}
