// Small helpers of the page: elements, the JSON API, downloads.

export const $ = (selector, root = document) => root.querySelector(selector);

export const element = (tag, properties = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
};

/// The answer of `lrp serve` to `path`; a 4xx or 5xx throws its message.
export async function api(path) {
  let response;
  try {
    response = await fetch(path);
  } catch (error) {
    throw new Error('the server did not answer (' + error.message + '); is lrp serve still running?');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error((body && body.error && body.error.message) || response.status + ' ' + response.statusText);
  return body;
}

export function query(parameters) {
  return Object.entries(parameters).map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
}

/// Lets the browser save `blob` as `name`.
export function download(blob, name) {
  const link = element('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
