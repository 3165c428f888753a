// What the shop's operators see in the Azure portal: a workbook (requests, failures and latency per
// route; orders and payments per hour; outbox relay lag; dead letters per subscription) and alert
// rules (5xx rate, dead letters, relay trouble, webhook failures) sent to an action group.
//
// The queries read what the functions log (shared/telemetry): each log line is a trace whose
// message is the line's text and whose customDimensions are its fields (traceId among them).

param location string
param tags { *: string }

@description('Application Insights component name (workspace-based).')
param applicationInsightsName string

@description('Service Bus namespace name (dead-letter metrics).')
param serviceBusNamespaceName string

@description('Where alerts are e-mailed; empty: the alert rules exist but notify nobody.')
param alertEmail string

param workbookName string = guid(resourceGroup().id, 'shop-operations-workbook')

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-shop-operators'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'shop-ops'
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actions = empty(alertEmail) ? [] : [actionGroup.id]

// Log alerts: each a query over Application Insights, evaluated every 5 minutes.
var logAlerts = [
  {
    name: 'shop-5xx-rate'
    description: 'More than 5% of requests failed with a 5xx in 15 minutes (at least 10 requests).'
    severity: 1
    window: 'PT15M'
    query: 'requests | summarize total = count(), failed = countif(toint(resultCode) >= 500) | where total >= 10 and failed * 100.0 / total > 5'
  }
  {
    name: 'shop-outbox-relay-trouble'
    description: 'The outbox relay is retrying publishes, or parked a row an operator must replay.'
    severity: 2
    window: 'PT15M'
    query: 'traces | where message in ("outbox publish failed; retrying", "outbox row parked: it will not be published until an operator replays it") | summarize n = count() | where n > 0'
  }
  {
    name: 'shop-webhook-failures'
    description: 'Stripe webhook deliveries were refused or failed (bad signatures, errors).'
    severity: 2
    window: 'PT15M'
    query: 'union (requests | where name == "orders-payment-webhook" and toint(resultCode) >= 400), (traces | where message == "refused a webhook with a bad signature") | summarize n = count() | where n >= 3'
  }
  {
    name: 'shop-refund-failing'
    description: 'A refund failed or cannot reach Stripe: the order is flagged for an operator.'
    severity: 1
    window: 'PT15M'
    query: 'traces | where message in ("a refund failed; the order is flagged for an operator", "a payment does not match its order; left for an operator") | summarize n = count() | where n > 0'
  }
]

resource logAlertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for alert in logAlerts: {
    name: alert.name
    location: location
    tags: tags
    properties: {
      displayName: alert.name
      description: alert.description
      severity: alert.severity
      enabled: true
      scopes: [
        applicationInsights.id
      ]
      evaluationFrequency: 'PT5M'
      windowSize: alert.window
      criteria: {
        allOf: [
          {
            query: alert.query
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      autoMitigate: true
      actions: {
        actionGroups: actions
      }
    }
  }
]

// Dead letters: any message dead-lettered in any subscription (Service Bus's own metric).
resource deadLetterAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'shop-dead-letters'
  location: 'global'
  tags: tags
  properties: {
    description: 'A message was dead-lettered: a consumer failed it repeatedly (npm run dlq -- list).'
    severity: 2
    enabled: true
    scopes: [
      serviceBus.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'dead-lettered'
          criterionType: 'StaticThresholdCriterion'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          timeAggregation: 'Maximum'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
        }
      ]
    }
    autoMitigate: true
    actions: [for id in actions: { actionGroupId: id }]
  }
}

var workbook = {
  version: 'Notebook/1.0'
  items: [
    {
      type: 1
      content: {
        json: '## Shop operations\nRequests, orders and payments, the outbox relay and dead letters. Find one order\'s whole story with `union traces, requests, exceptions | where operation_Id == "<traceId>" or customDimensions.traceId == "<traceId>"`.'
      }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Requests, failures and latency per route (last 24 h)'
        query: 'requests | where timestamp > ago(24h) | summarize requests = count(), failures = countif(success == false), p50_ms = percentile(duration, 50), p95_ms = percentile(duration, 95) by route = name | order by requests desc'
        queryType: 0
        resourceType: 'microsoft.insights/components'
        visualization: 'table'
      }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Orders and payments per hour'
        query: 'traces | where timestamp > ago(7d) and message in ("order placed", "order paid", "order cancelled", "refund requested at the payment provider") | summarize count() by bin(timestamp, 1h), message'
        queryType: 0
        resourceType: 'microsoft.insights/components'
        visualization: 'timechart'
      }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Outbox relay: retries and parked rows'
        query: 'traces | where timestamp > ago(7d) and message startswith "outbox" | summarize count() by bin(timestamp, 1h), message, domain = tostring(customDimensions.domain)'
        queryType: 0
        resourceType: 'microsoft.insights/components'
        visualization: 'timechart'
      }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Consumer failures and poison messages per subscription'
        query: 'traces | where timestamp > ago(7d) and (message startswith "poison message" or severityLevel >= 3) and isnotempty(customDimensions.consumer) | summarize failures = count() by subscription = tostring(customDimensions.consumer), message | order by failures desc'
        queryType: 0
        resourceType: 'microsoft.insights/components'
        visualization: 'table'
      }
    }
  ]
}

resource operationsWorkbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: workbookName
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Shop operations'
    category: 'workbook'
    serializedData: string(workbook)
    sourceId: applicationInsights.id
  }
}

output workbookId string = operationsWorkbook.id
