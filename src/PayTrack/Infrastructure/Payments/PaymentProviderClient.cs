using System.Net;
using System.Text.Json;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace PayTrack.Infrastructure.Payments;

/// <summary>What submitting a payment to the provider came to.</summary>
public abstract record SubmitResult
{
    public sealed record Accepted(string ProviderRef, string Status, string? Reason) : SubmitResult;
    /// <summary>The provider said no for good (4xx): the payment fails.</summary>
    public sealed record Rejected(string Reason) : SubmitResult;
    /// <summary>The provider definitely did not take it (503s after retries, circuit open, connection refused).</summary>
    public sealed record Unavailable(string Reason) : SubmitResult;
    /// <summary>No answer in time: the provider may or may not have it; the reconciler finds out.</summary>
    public sealed record Unknown(string Reason) : SubmitResult;
}

/// <summary>
/// HTTP client for the payment provider: a timeout per attempt, retries with exponential backoff and
/// jitter on transient failures, and a circuit breaker shared by every request of this process.
/// The payment id is sent as the provider's Idempotency-Key, so a retry never pays twice.
/// </summary>
public sealed class PaymentProviderClient
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ILogger<PaymentProviderClient> _logger;

    public PaymentProviderClient(HttpClient http, PaymentsOptions options, ILogger<PaymentProviderClient> logger, TimeProvider? time = null)
    {
        _http = http;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMs),
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>().Handle<TimeoutRejectedException>()
                    .HandleResult(r => r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
                OnRetry = a =>
                {
                    logger.LogInformation("Payment provider call failed ({Outcome}); retry {Attempt} in {Delay} ms",
                        a.Outcome.Exception?.GetType().Name ?? ((int?)a.Outcome.Result?.StatusCode)?.ToString(System.Globalization.CultureInfo.InvariantCulture), a.AttemptNumber + 1, (int)a.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(options.BreakerBreakSeconds),
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>().Handle<TimeoutRejectedException>()
                    .HandleResult(r => (int)r.StatusCode >= 500),
                OnOpened = a => { logger.LogWarning("Payment provider circuit opened for {Seconds} s", (int)a.BreakDuration.TotalSeconds); return ValueTask.CompletedTask; },
                OnClosed = _ => { logger.LogInformation("Payment provider circuit closed"); return ValueTask.CompletedTask; },
            })
            .AddTimeout(TimeSpan.FromMilliseconds(options.AttemptTimeoutMs))
            .Build();
    }

    public async Task<SubmitResult> SubmitAsync(ProviderPaymentRequest request, CancellationToken ct)
    {
        // Set once any attempt may have reached the provider (it timed out, or failed after the
        // connection was made). From then on "unavailable" is no longer certain: a later 503 or an
        // open circuit does not prove the provider never took the payment, so the answer is Unknown
        // and the reconciler asks (and resubmits under the same key if the provider never got it).
        var mayHaveReached = false;
        try
        {
            using var response = await _pipeline.ExecuteAsync(async token =>
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, "v1/payments") { Content = JsonContent.Create(request, options: JsonSerializerOptions.Web) };
                message.Headers.Add("Idempotency-Key", request.Reference);
                try
                {
                    var answer = await _http.SendAsync(message, token);
                    if ((int)answer.StatusCode >= 500 && answer.StatusCode != HttpStatusCode.ServiceUnavailable) mayHaveReached = true;
                    return answer;
                }
                catch (Exception ex) when (ex is not HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
                {
                    mayHaveReached = true;
                    throw;
                }
            }, ct);
            if (response.IsSuccessStatusCode)
            {
                var payment = (await response.Content.ReadFromJsonAsync<ProviderPayment>(JsonSerializerOptions.Web, ct))!;
                return new SubmitResult.Accepted(payment.Id, payment.Status, payment.Reason);
            }
            if ((int)response.StatusCode >= 500) return Unavailable($"payment provider unavailable ({(int)response.StatusCode})");
            return new SubmitResult.Rejected($"payment provider refused the payment ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync(ct)}");
        }
        catch (BrokenCircuitException)
        {
            return Unavailable("payment provider unavailable (circuit open)");
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return Unavailable("payment provider unreachable");
        }
        catch (Exception ex) when (ex is TimeoutRejectedException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Payment {Reference}: no answer from the provider; the reconciler will ask later", request.Reference);
            return new SubmitResult.Unknown("no answer from the payment provider");
        }

        SubmitResult Unavailable(string reason)
        {
            if (!mayHaveReached) return new SubmitResult.Unavailable(reason);
            _logger.LogWarning("Payment {Reference}: {Reason} after an attempt that may have reached the provider; the reconciler will ask later", request.Reference, reason);
            return new SubmitResult.Unknown(reason);
        }
    }

    /// <summary>The provider's view of a payment (by its id, or by our reference); null when it does not know it.</summary>
    public async Task<ProviderPayment?> GetAsync(string idOrReference, CancellationToken ct)
    {
        using var response = await _pipeline.ExecuteAsync(token => new ValueTask<HttpResponseMessage>(_http.GetAsync("v1/payments/" + Uri.EscapeDataString(idOrReference), token)), ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<ProviderPayment>(JsonSerializerOptions.Web, ct);
    }
}
