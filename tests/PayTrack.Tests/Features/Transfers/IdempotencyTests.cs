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

    private Task<string> HashOfAsync(object body)
    {
        // The request as the server binds it, hashed the way the server does.
        var json = System.Text.Json.JsonSerializer.Serialize(body);
        var request = System.Text.Json.JsonSerializer.Deserialize<PayTrack.Features.Transfers.SendTransferRequest>(json, System.Text.Json.JsonSerializerOptions.Web)!;
        var options = App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value;
        return Task.FromResult(PayTrack.Infrastructure.Idempotency.IdempotencyStore.Hash("POST", "/api/v1/transfers", [request], options));
    }
}
